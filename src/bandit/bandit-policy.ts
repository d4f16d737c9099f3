import { BANDIT_DEFAULTS, banditMetricOf, type BanditType, type Experiment } from '../core/experiment'

/** A bandit allocation with every default resolved. */
export type BanditPolicy = {
  type: BanditType
  epsilon: number
  burnIn: number
  floor: number
  periodSeconds: number
  /** The binomial metric the bandit maximises. */
  metric: string
}

/**
 * The experiment's bandit allocation with defaults filled in (docs/design.md, "Bandits": burn-in
 * ≥ 100 units per arm, floor 1% per arm), or null when its weights are fixed. The metric defaults to the
 * primary metric, which validation (checkConsistency) has already required to be binomial.
 * @example banditPolicy({ allocation: { type: 'thompson' }, metrics: DEFAULT_METRICS }) // { type: 'thompson', burnIn: 100, floor: 0.01, periodSeconds: 3600, metric: 'conversion', … }
 */
export function banditPolicy(e: Pick<Experiment, 'allocation' | 'metrics'>): BanditPolicy | null {
  const a = e.allocation
  const metric = banditMetricOf(e)
  if (!a || a.type === 'fixed' || metric === undefined) return null
  return {
    type: a.type,
    epsilon: a.epsilon ?? BANDIT_DEFAULTS.epsilon,
    burnIn: a.burnIn ?? BANDIT_DEFAULTS.burnIn,
    floor: a.floor ?? BANDIT_DEFAULTS.floor,
    periodSeconds: a.periodSeconds ?? BANDIT_DEFAULTS.periodSeconds,
    metric,
  }
}

/**
 * When the bandit may next look at the counts (epoch ms): one period after the latest of its last
 * check and the last allocation change of the current epoch (a start, restart, manual reweight or
 * its own reweight), so weights change at most once per period and a restart starts a fresh period.
 * @example nextRebalanceAt(e, policy) // Date.parse(e.bandit.checkedAt) + 3600_000
 */
export function nextRebalanceAt(e: Pick<Experiment, 'allocations' | 'epoch' | 'startedAt' | 'bandit'>, policy: Pick<BanditPolicy, 'periodSeconds'>): number {
  let last = e.startedAt ? Date.parse(e.startedAt) : 0
  for (const a of e.allocations) if (a.epoch === e.epoch) last = Math.max(last, Date.parse(a.at))
  if (e.bandit) last = Math.max(last, Date.parse(e.bandit.checkedAt))
  return (Number.isFinite(last) ? last : 0) + policy.periodSeconds * 1000
}
