import type { Metric } from '../core/experiment'
import { proportionSeriesPoint, ratioTest, sequentialTest, welchTTest } from '../stats'
import type { EpochCounters } from '../core/counters'
import { metricValue, ratioGroup } from './compare'
import type { AnalysisSettings, SeriesPoint, VariantStats } from './types'

/**
 * Cumulative daily series of one metric: per variant the rate or mean up to the end of each UTC day,
 * and per treatment the fixed-horizon p-value and interval and the always-valid ones. Counters are
 * kept per day of first exposure / first conversion / increment, so cumulative sums are exact.
 */
export function metricSeries(metric: Metric, counters: EpochCounters | undefined, variants: readonly string[], control: string, s: AnalysisSettings): SeriesPoint[] {
  if (!counters) return []
  const running = new Map<string, VariantStats>(variants.map((v) => [v, { n: 0, converters: 0, sum: 0, sumSq: 0, sumY: 0, sumSqY: 0, sumXY: 0 }]))
  const points: SeriesPoint[] = []
  for (const day of Object.keys(counters.days).sort()) {
    for (const v of variants) {
      const d = counters.days[day]?.[v]
      const acc = running.get(v)!
      if (!d) continue
      acc.n += d.exposures
      const m = d.metrics[metric.key]
      if (m) {
        acc.converters += m.converters
        acc.sum += m.sum
        acc.sumSq += m.sumSq
        acc.sumY! += m.sumY ?? 0
        acc.sumSqY! += m.sumSqY ?? 0
        acc.sumXY! += m.sumXY ?? 0
      }
    }
    const c = running.get(control)!
    const point: SeriesPoint = { day, variants: {}, comparisons: {} }
    for (const v of variants) {
      const t = running.get(v)!
      point.variants[v] = { n: t.n, value: metricValue(metric.type, t) }
      if (v === control) continue
      if (metric.type === 'ratio') {
        const cc = ratioGroup(c)
        const tt = ratioGroup(t)
        const fixed = ratioTest({ control: cc, treatment: tt, alpha: s.alpha })
        const seq = sequentialTest({ kind: 'ratio', control: cc, treatment: tt, alpha: s.alpha, nStar: s.nStar })
        point.comparisons[v] = { pValue: fixed.pValue, ci: fixed.absolute.ci, sequentialPValue: seq.pValue, sequentialCi: seq.ci }
      } else if (metric.type === 'binomial') {
        point.comparisons[v] = proportionSeriesPoint({ n: c.n, x: c.converters }, { n: t.n, x: t.converters }, s.alpha, s.nStar)
      } else {
        const cc = { n: c.n, sum: c.sum, sumSq: c.sumSq }
        const tt = { n: t.n, sum: t.sum, sumSq: t.sumSq }
        const fixed = welchTTest({ control: cc, treatment: tt, alpha: s.alpha })
        const seq = sequentialTest({ kind: 'mean', control: cc, treatment: tt, alpha: s.alpha, nStar: s.nStar })
        point.comparisons[v] = { pValue: fixed.pValue, ci: fixed.absolute.ci, sequentialPValue: seq.pValue, sequentialCi: seq.ci }
      }
    }
    points.push(point)
  }
  return points
}
