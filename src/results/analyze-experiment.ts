import { banditPolicy, nextRebalanceAt } from '../bandit/bandit-policy'
import { controlOf, type Experiment } from '../core/experiment'
import { benjaminiHochberg, holm } from '../stats'
import type { ParsedCounters } from '../core/counters'
import { ratioParts } from '../core/ratio-parts'
import { compare, metricValue } from './compare'
import { matureCohorts } from './mature-cohorts'
import { metricSeries } from './series'
import { srmCheck } from './srm'
import type { AnalysisSettings, ExperimentResults, MetricResult, VariantResult, VariantStats } from './types'
import { metricVerdict } from './verdict'

/**
 * Which metrics get a daily series: one metric's key, 'all', 'none', or (undefined) the default, the
 * primary metric only (the one the dashboard draws first; it asks for another when one is chosen).
 * The series are nearly all of the analysis' CPU (a fixed-horizon and a sequential test per day and treatment).
 */
export type SeriesChoice = string | undefined

/**
 * Analyses an experiment's current epoch from its counters: per metric and variant against control,
 * with p-values adjusted across variants × metrics (Holm by default, or Benjamini–Hochberg), the SRM
 * check, a verdict per metric and overall (the primary metric's), cumulative daily series (of the
 * primary metric by default, see SeriesChoice), and the allocation policy with its history (a bandit's reweights included).
 * Pure: the caller reads the counters (one store round trip).
 */
export function analyzeExperiment(e: Experiment, counters: ParsedCounters, series?: SeriesChoice, now = Date.now()): ExperimentResults {
  const whole = counters.epochs[e.epoch]
  // A windowed metric is read from its mature exposure cohorts only (src/results/mature-cohorts.ts).
  const cohorts = new Map(e.metrics.flatMap((m) => (m.window && whole ? [[m.key, matureCohorts(whole, m.window, now)] as const] : [])))
  const epochOf = (metric: string) => cohorts.get(metric)?.counters ?? whole
  const epoch = whole
  const control = controlOf(e)
  const keys = e.variants.map((v) => v.key)
  const settings: AnalysisSettings = { alpha: e.alpha, power: e.power, minDetectableEffect: e.minDetectableEffect, nStar: e.sequentialNStar }
  const stats = (variant: string, metric: string): VariantStats => {
    const v = epochOf(metric)?.variants[variant]
    const m = v?.metrics[metric]
    const base = { n: v?.exposures ?? 0, converters: m?.converters ?? 0, sum: m?.sum ?? 0, sumSq: m?.sumSq ?? 0 }
    return m?.sumY === undefined ? base : { ...base, sumY: m.sumY, sumSqY: m.sumSqY ?? 0, sumXY: m.sumXY ?? 0 }
  }
  const srm = srmCheck(e, epoch)
  const tables = e.metrics.map((metric) => {
    const c = stats(control, metric.key)
    const variants: VariantResult[] = keys.map((variant) => {
      const t = stats(variant, metric.key)
      const type = analysisType(metric.type)
      const row: VariantResult = { variant, n: t.n, converters: t.converters, value: metricValue(type, t), comparison: variant === control ? null : compare(type, c, t, settings) }
      return metric.type === 'ratio' ? { ...row, numerator: t.sum, denominator: t.sumY ?? 0 } : row
    })
    return { metric, variants }
  })

  // Multiplicity: one family of all treatment × metric comparisons that have a p-value.
  const family = tables.flatMap(({ variants }) =>
    variants.flatMap((v) => (v.comparison?.pValue != null ? [{ comparison: v.comparison, n: Math.min(v.n, variants.find((x) => x.variant === control)!.n) }] : [])),
  )
  const adjusted = (e.correction === 'benjamini-hochberg' ? benjaminiHochberg : holm)(family.map((f) => f.comparison.pValue!)).adjusted
  family.forEach(({ comparison: c, n }, i) => {
    c.adjustedPValue = adjusted?.[i] ?? null
    const planReached = c.requiredN !== null && n >= c.requiredN
    const sequential = c.sequential.pValue !== null && c.sequential.pValue < e.alpha
    c.significant = sequential || (planReached && c.adjustedPValue !== null && c.adjustedPValue < e.alpha)
  })

  const metrics: MetricResult[] = tables.map(({ metric, variants }) => {
    const parts = ratioParts(metric, e.metrics)
    const event = parts ? `${parts.numerator.event} / ${parts.denominator.event}` : (metric.event ?? '')
    const windowed = cohorts.get(metric.key)
    const extra = { ...(parts ?? {}), ...(metric.window && windowed ? { window: metric.window, maturing: windowed.maturing } : {}) }
    const base = { key: metric.key, name: metric.name ?? metric.key, type: metric.type, role: metric.role, event, ...extra, variants }
    return { ...base, verdict: metricVerdict(base, control, srm) }
  })
  const primary = metrics.find((m) => m.role === 'primary') ?? metrics[0]
  const charted = series === 'all' ? e.metrics : series === 'none' ? [] : e.metrics.filter((m) => m.key === (series ?? primary?.key))
  return {
    experiment: e.key,
    title: e.title,
    state: e.state,
    epoch: e.epoch,
    control,
    correction: e.correction,
    alpha: e.alpha,
    srm,
    verdict: primary?.verdict ?? (srm.mismatch ? { status: 'srm', text: 'sample ratio mismatch: do not trust these results' } : { status: 'no_data', text: 'no metrics defined' }),
    metrics,
    series: Object.fromEntries(charted.map((m) => [m.key, metricSeries({ ...m, type: analysisType(m.type) }, epochOf(m.key), keys, control, settings)])),
    allocation: allocationOf(e),
    allocations: e.allocations,
  }
}

/** How a metric is analysed: a retention metric is a binomial one over its window. */
function analysisType(type: Experiment['metrics'][number]['type']): 'binomial' | 'mean' | 'ratio' {
  return type === 'retention' ? 'binomial' : type
}

function allocationOf(e: Experiment): ExperimentResults['allocation'] {
  const policy = banditPolicy(e)
  if (!policy) return { type: 'fixed' }
  const nextCheckAt = e.state === 'running' ? new Date(nextRebalanceAt(e, policy)).toISOString() : null
  return { ...policy, lastCheck: e.bandit ?? null, nextCheckAt }
}
