import { type Experiment, ExperimentSchema } from '../core/experiment'
import { allocationSnapshot } from '../core/lifecycle'
import type { RandomSource } from '../core/random'
import { parseOrThrow } from '../core/validate'
import { banditPolicy, nextRebalanceAt } from './bandit-policy'
import { computeAllocation } from './compute-allocation'
import type { ArmCounts } from './types'

/** Units exposed and converted (on the bandit's metric) per variant, in the current epoch. */
export type ArmCountsByVariant = Readonly<Record<string, ArmCounts>>

/** What a rebalance did; `experiment` is the new version to store when something was recorded. */
export type RebalanceOutcome =
  | { status: 'not_bandit' | 'not_running' | 'not_due'; message: string }
  | { status: 'burn_in' | 'unchanged' | 'reweighted'; message: string; experiment: Experiment; weights: Record<string, number> }

/**
 * Weights closer than this to the current ones are left alone: a new allocation version would only
 * add an entry to the config every isolate reads, for a change no analysis could notice.
 */
export const MIN_WEIGHT_CHANGE = 0.005

/**
 * One bandit step for a running experiment, at most once per period (docs/design.md, "Bandits"):
 * recomputes the weights from the counts with `computeAllocation` and, once every arm has `burnIn`
 * units, writes them as a new allocation (version + 1 and an `allocations` entry, the mechanism a
 * manual reweight uses), so units already assigned stay on their first arm (sticky) and SRM is
 * judged per allocation.
 * During burn-in, or when the weights barely move, it only records the check (`bandit`), so the next
 * one waits a full period. Weights are rounded to 1e-6 and never below the floor.
 * @example rebalanceExperiment(e, { Moon: { units: 1000, conversions: 100 }, Mars: { units: 1000, conversions: 200 } }, now, seededRandom(1))
 * // { status: 'reweighted', weights: { Moon: 0.01, Mars: 0.99 }, experiment: { allocationVersion: 2, … } }
 */
export function rebalanceExperiment(e: Experiment, counts: ArmCountsByVariant, now: Date, rng: RandomSource): RebalanceOutcome {
  const policy = banditPolicy(e)
  if (!policy) return { status: 'not_bandit', message: `experiment "${e.key}" has fixed weights` }
  if (e.state !== 'running') return { status: 'not_running', message: `experiment "${e.key}" is ${e.state}; bandits reweight running experiments only` }
  const dueAt = nextRebalanceAt(e, policy)
  if (now.getTime() < dueAt) return { status: 'not_due', message: `next reweight of "${e.key}" at ${new Date(dueAt).toISOString()}` }

  const keys = e.variants.map((v) => v.key)
  const arms = keys.map((k) => {
    const units = Math.max(0, counts[k]?.units ?? 0)
    // A converter count above the exposures cannot happen in one epoch; clamp rather than throw.
    return { units, conversions: Math.min(units, Math.max(0, counts[k]?.conversions ?? 0)) }
  })
  const total = e.variants.reduce((s, v) => s + v.weight, 0)
  const current = e.variants.map((v) => v.weight / total)
  const allocation = computeAllocation(arms, { type: policy.type, epsilon: policy.epsilon, burnIn: policy.burnIn, floor: policy.floor, baseWeights: current }, rng)
  const at = now.toISOString()
  const weights = allocation.weights.map((w) => Math.max(policy.floor, Math.round(w * 1e6) / 1e6))
  const byVariant = Object.fromEntries(keys.map((k, i) => [k, weights[i]!]))
  const checked = (phase: 'burn-in' | 'adaptive', note: string): Experiment =>
    parseOrThrow(ExperimentSchema, { ...e, version: e.version + 1, updatedAt: at, bandit: { checkedAt: at, phase, note } })

  if (allocation.phase === 'burn-in') {
    const message = `burn-in: ${allocation.details.message?.replace(/^arm (\d+)/, (_, i: string) => `variant ${keys[Number(i)]}`) ?? 'waiting for data'}`
    return { status: 'burn_in', message, experiment: checked('burn-in', message), weights: Object.fromEntries(keys.map((k, i) => [k, current[i]!])) }
  }
  const describe = keys.map((k, i) => `${k} ${weights[i]}`).join(', ')
  const change = Math.max(...weights.map((w, i) => Math.abs(w / weights.reduce((s, x) => s + x, 0) - current[i]!)))
  if (change < MIN_WEIGHT_CHANGE) {
    const message = `${policy.type}: weights (${describe}) within ${MIN_WEIGHT_CHANGE} of the current ones; left unchanged`
    return { status: 'unchanged', message, experiment: checked('adaptive', message), weights: Object.fromEntries(keys.map((k, i) => [k, current[i]!])) }
  }
  const message = `${policy.type}: reweighted to ${describe}`
  const next: Experiment = {
    ...checked('adaptive', message),
    variants: e.variants.map((v, i) => ({ ...v, weight: weights[i]! })),
    allocationVersion: e.allocationVersion + 1,
  }
  const counted = Object.fromEntries(keys.map((k, i) => [k, arms[i]!]))
  next.allocations = [
    ...e.allocations,
    { ...allocationSnapshot(next, next.allocationVersion, e.epoch, at), bandit: { algorithm: policy.type, metric: policy.metric, counts: counted } },
  ]
  return { status: 'reweighted', message, experiment: parseOrThrow(ExperimentSchema, next), weights: byVariant }
}
