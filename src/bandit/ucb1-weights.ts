import type { ArmCounts } from './types'
import { assertArms } from './assert-arms'
import { bestArms } from './best-arms'

/**
 * UCB1 (Auer, Cesa-Bianchi & Fischer 2002, "Finite-time analysis of the multiarmed bandit problem"):
 * ucb_i = c_i/n_i + sqrt(2 ln N / n_i) with N = Σ n_j; all weight to argmax ucb_i, ties split equally.
 * An arm with n_i = 0 has ucb = +Infinity (UCB1 plays every arm once first); `ucb` reports it as
 * Number.MAX_VALUE so it stays JSON-safe. Throws RangeError on invalid arms.
 * @example
 * ucb1Weights([{ units: 100, conversions: 10 }, { units: 200, conversions: 30 }])
 * // { weights: [1, 0], ucb: [0.4378, 0.3888] }
 */
export function ucb1Weights(arms: readonly ArmCounts[]): { weights: number[]; ucb: number[] } {
  assertArms(arms, 'ucb1Weights')
  const total = arms.reduce((s, a) => s + a.units, 0)
  const logTotal = total > 1 ? Math.log(total) : 0
  const ucb = arms.map((a) =>
    a.units > 0 ? a.conversions / a.units + Math.sqrt((2 * logTotal) / a.units) : Number.MAX_VALUE,
  )
  const best = bestArms(ucb)
  const weights = arms.map((_, i) => (best.includes(i) ? 1 / best.length : 0))
  return { weights, ucb }
}
