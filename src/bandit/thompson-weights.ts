import type { RandomSource } from '../core/random'
import type { ArmCounts } from './types'
import { assertArms } from './assert-arms'
import { sampleBeta } from './sample-beta'

/**
 * Randomized probability matching (Scott 2010, "A modern Bayesian look at the multi-armed bandit"):
 * w_i = P(θ_i = max_j θ_j) with θ_i ~ Beta(1 + c_i, 1 + n_i − c_i), estimated from `draws` joint
 * posterior draws (exact ties split equally). Throws RangeError on invalid arms or draws.
 * @example
 * thompsonWeights([{ units: 1000, conversions: 300 }, { units: 1000, conversions: 100 }], 10000, seededRandom(1))
 * // ≈ [1, 0]
 */
export function thompsonWeights(arms: readonly ArmCounts[], draws: number, rng: RandomSource): number[] {
  assertArms(arms, 'thompsonWeights')
  if (!Number.isInteger(draws) || draws < 1) {
    throw new RangeError(`thompsonWeights: draws must be a positive integer, got ${draws}`)
  }
  const k = arms.length
  const alpha = arms.map((a) => 1 + a.conversions)
  const beta = arms.map((a) => 1 + a.units - a.conversions)
  const wins = new Array<number>(k).fill(0)
  const sample = new Array<number>(k).fill(0)
  for (let d = 0; d < draws; d++) {
    let max = -Infinity
    let ties = 0
    for (let i = 0; i < k; i++) {
      const x = sampleBeta(alpha[i]!, beta[i]!, rng)
      sample[i] = x
      if (x > max) {
        max = x
        ties = 1
      } else if (x === max) ties++
    }
    for (let i = 0; i < k; i++) if (sample[i] === max) wins[i]! += 1 / ties
  }
  return wins.map((w) => w / draws)
}
