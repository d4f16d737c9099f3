import { BANDIT_DEFAULTS, BANDIT_TYPES, type BanditType } from '../core/experiment'
import type { RandomSource } from '../core/random'
import type { AllocationConfig, ArmCounts, ComputedAllocation } from './types'
import { applyFloor } from './apply-floor'
import { assertArms } from './assert-arms'
import { epsilonGreedyWeights } from './epsilon-greedy-weights'
import { thompsonWeights } from './thompson-weights'
import { ucb1Weights } from './ucb1-weights'

const MIN_BURN_IN = 100
const MAX_DRAWS = 10_000_000

/**
 * Bandit allocation weights (docs/design.md, "Bandits"): equal/base weights until every arm
 * has `burnIn` units, then Thompson P(best) (Scott 2010), UCB1 argmax (Auer et al. 2002) or ε-greedy
 * (Sutton & Barto 2018), each floored with `applyFloor`.
 *
 * Error policy: no data (every arm at 0 units) is a normal state and returns the burn-in weights
 * with `details.reason = 'no-data'`; invalid input (conversions > units, negative or non-finite
 * counts, unknown type, ε ∉ [0,1], burnIn < 100, floor·k > 1, bad draws or baseWeights) throws a
 * RangeError naming the field. Weights are always finite, ≥ floor, and sum to 1 within 1e-12.
 * @example
 * computeAllocation([{ units: 1000, conversions: 300 }, { units: 1000, conversions: 100 }],
 *   { type: 'thompson' }, seededRandom('exp-1'))
 * // { weights: [0.99, 0.01], phase: 'adaptive', algorithm: 'thompson', details: { … } }
 */
export function computeAllocation(
  arms: readonly ArmCounts[],
  config: AllocationConfig,
  rng: RandomSource,
): ComputedAllocation {
  assertArms(arms, 'computeAllocation')
  const k = arms.length
  const { type, epsilon, burnIn, floor, draws, baseWeights } = resolveConfig(config, k)
  const means = arms.map((a) => (a.units > 0 ? a.conversions / a.units : 0))

  const totalUnits = arms.reduce((s, a) => s + a.units, 0)
  const short = arms.findIndex((a) => a.units < burnIn)
  if (totalUnits === 0 || short !== -1) {
    const rawWeights = baseWeights ?? arms.map(() => 1 / k)
    return {
      weights: applyFloor(rawWeights, floor),
      phase: 'burn-in',
      algorithm: type,
      details: {
        reason: totalUnits === 0 ? 'no-data' : 'burn-in',
        message:
          totalUnits === 0
            ? 'no units observed yet; using base weights'
            : `arm ${short} has ${arms[short]!.units} units, fewer than burnIn=${burnIn}; using base weights`,
        burnIn,
        floor,
        means,
        rawWeights,
      },
    }
  }

  const common = { burnIn, floor, means }
  if (type === 'thompson') {
    const probBest = thompsonWeights(arms, draws, rng)
    return adaptive(type, probBest, floor, { ...common, rawWeights: probBest, probBest, draws })
  }
  if (type === 'ucb1') {
    const { weights, ucb } = ucb1Weights(arms)
    return adaptive(type, weights, floor, { ...common, rawWeights: weights, ucb })
  }
  const weights = epsilonGreedyWeights(means, epsilon)
  return adaptive(type, weights, floor, { ...common, rawWeights: weights, epsilon })
}

function adaptive(
  algorithm: BanditType,
  raw: number[],
  floor: number,
  details: ComputedAllocation['details'],
): ComputedAllocation {
  return { weights: applyFloor(raw, floor), phase: 'adaptive', algorithm, details }
}

// Reject bad config up front rather than silently falling back to equal weights, which is what
// GrowthBook's SDK does with a bad config and what hides a misconfigured experiment.
function resolveConfig(config: AllocationConfig, k: number) {
  if (config === null || typeof config !== 'object') {
    throw new RangeError('computeAllocation: config must be an object with a type')
  }
  const {
    type,
    epsilon = BANDIT_DEFAULTS.epsilon,
    burnIn = BANDIT_DEFAULTS.burnIn,
    floor = BANDIT_DEFAULTS.floor,
    draws = 10_000,
    baseWeights,
  } = config
  if (!(BANDIT_TYPES as readonly string[]).includes(type)) {
    throw new RangeError(`computeAllocation: config.type must be one of ${BANDIT_TYPES.join(', ')}, got ${String(type)}`)
  }
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0 || epsilon > 1) {
    throw new RangeError(`computeAllocation: config.epsilon must be in [0, 1], got ${epsilon}`)
  }
  if (typeof burnIn !== 'number' || !Number.isFinite(burnIn) || burnIn < MIN_BURN_IN) {
    throw new RangeError(`computeAllocation: config.burnIn must be a finite number ≥ ${MIN_BURN_IN}, got ${burnIn}`)
  }
  if (typeof floor !== 'number' || !Number.isFinite(floor) || floor < 0 || floor * k > 1 + 1e-12) {
    throw new RangeError(
      `computeAllocation: config.floor must satisfy 0 ≤ floor and floor·k ≤ 1, got floor=${floor} with k=${k} arms`,
    )
  }
  if (!Number.isInteger(draws) || draws < 1 || draws > MAX_DRAWS) {
    throw new RangeError(`computeAllocation: config.draws must be an integer in [1, ${MAX_DRAWS}], got ${draws}`)
  }
  let base: number[] | undefined
  if (baseWeights !== undefined) {
    if (!Array.isArray(baseWeights) || baseWeights.length !== k) {
      throw new RangeError(`computeAllocation: config.baseWeights must have one weight per arm (${k})`)
    }
    if (!baseWeights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
      throw new RangeError('computeAllocation: config.baseWeights must be finite numbers ≥ 0')
    }
    const sum = baseWeights.reduce((s, w) => s + w, 0)
    if (!(sum > 0)) throw new RangeError('computeAllocation: config.baseWeights must have a positive sum')
    base = baseWeights.map((w) => w / sum)
  }
  return { type, epsilon, burnIn, floor, draws, baseWeights: base }
}
