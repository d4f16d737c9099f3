import type { BanditPolicy } from '../bandit/bandit-policy'
import type { Allocation, BanditState } from '../core/experiment'
import type { Interval } from '../stats'

/** Sufficient statistics of one variant on one metric: n exposed units and their per-unit totals. */
export type VariantStats = { n: number; converters: number; sum: number; sumSq: number }

/** The analysis settings of an experiment. */
export type AnalysisSettings = { alpha: number; power: number; minDetectableEffect: number; nStar: number }

/** A treatment against the control on one metric. Fields that cannot be computed are null. */
export type Comparison = {
  absolute: { estimate: number | null; ci: Interval | null }
  relative: { estimate: number | null; ci: Interval | null }
  pValue: number | null
  /** After Holm or Benjamini–Hochberg across variants × metrics. */
  adjustedPValue: number | null
  sequential: { pValue: number | null; ci: Interval | null }
  chanceToBeatControl: number | null
  expectedLoss: number | null
  /** Power at the configured minimum detectable effect with the current sample sizes. */
  power: number | null
  /** Units per variant needed for the configured power at the minimum detectable effect. */
  requiredN: number | null
  /** Significant by the always-valid test, or by the adjusted fixed-horizon test once requiredN is reached. */
  significant: boolean
  /** Why some fields are null (joined reasons from the statistics), or null. */
  reason: string | null
}

/** One variant's row in a metric's table. */
export type VariantResult = {
  variant: string
  n: number
  converters: number
  /** Conversion rate (binomial) or mean of per-unit totals (mean); null when n = 0. */
  value: number | null
  comparison: Comparison | null
}

/** The verdict on a metric, in a word and in words. */
export type Verdict = {
  status: 'no_data' | 'srm' | 'keep_running' | 'significant' | 'no_difference'
  text: string
}

/** One metric's table. */
export type MetricResult = {
  key: string
  name: string
  type: 'binomial' | 'mean'
  role: 'primary' | 'secondary' | 'guardrail'
  event: string
  variants: VariantResult[]
  verdict: Verdict
}

/** One day of a metric's cumulative series. */
export type SeriesPoint = {
  day: string
  variants: Record<string, { n: number; value: number | null }>
  comparisons: Record<string, { pValue: number | null; ci: Interval | null; sequentialPValue: number | null; sequentialCi: Interval | null }>
}

/** The SRM check against the weights each unit was assigned under. */
export type SrmResult = {
  observed: Record<string, number>
  expected: Record<string, number> | null
  chiSquare: number | null
  pValue: number | null
  mismatch: boolean
  reason: string | null
}

/** What `GET /v1/experiments/:key/results` returns. */
export type ExperimentResults = {
  experiment: string
  title: string
  state: string
  epoch: number
  control: string
  correction: 'holm' | 'benjamini-hochberg'
  alpha: number
  srm: SrmResult
  verdict: Verdict
  metrics: MetricResult[]
  series: Record<string, SeriesPoint[]>
  /** How weights are chosen: fixed, or a bandit (defaults resolved) with its last check and, while running, when it may next reweight. */
  allocation: { type: 'fixed' } | (BanditPolicy & { lastCheck: BanditState | null; nextCheckAt: string | null })
  /** The allocation history, oldest first: every set of weights units were assigned under, from when. */
  allocations: Allocation[]
}
