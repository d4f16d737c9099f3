import { controlOf, type Experiment } from '../core/experiment'
import { type ParsedSegments, type SegmentCounters } from '../core/segments'
import { benjaminiHochberg, chiSquareIndependence, holm, simpsonCheck, twoProportionTest, welchTTest } from '../stats'
import type { SegmentsResult } from './segments-schema'
import type { ExperimentResults } from './types'

type Lift = SegmentsResult['dimensions'][number]['values'][number]['lifts'][number]

// Segments with fewer units than this are not judged by the Simpson check (too noisy to have a sign).
const SIMPSON_MIN_UNITS = 100

/**
 * Results by segment: per dimension, the balance table (each variant's share of its units per value)
 * with Pearson's χ² test of variant × value independence flagged at p < 0.001 (a broken
 * randomisation: Kohavi, Tang & Xu 2020, ch. 21), the primary metric's lift per value and treatment,
 * and the Simpson check per treatment against the overall lift of `overall`. Lifts are exploratory:
 * their p-values are adjusted with the experiment's correction across every segment comparison, and
 * their CIs are simultaneous by Bonferroni (level 1 − α/m for m comparisons), the interval that
 * matches Holm's guarantee (Holm 1979). Ratio and windowed metrics get balance tables and no lifts.
 */
export function analyzeSegments(e: Experiment, segments: ParsedSegments, overall: Pick<ExperimentResults, 'metrics'>): SegmentsResult {
  const control = controlOf(e)
  const variants = e.variants.map((v) => v.key)
  const treatments = variants.filter((v) => v !== control)
  const primary = e.metrics.find((m) => m.role === 'primary')
  const kind = primary && !primary.window ? (primary.type === 'mean' ? 'mean' : primary.type === 'ratio' ? null : 'binomial') : null
  const dims = Object.keys(segments)
  const units = (seg: SegmentCounters, v: string) => seg[v]?.n ?? 0
  const stats = (seg: SegmentCounters, v: string) => {
    const m = (primary && seg[v]?.metrics[primary.key]) || {}
    return { n: units(seg, v), x: m.converters ?? 0, sum: m.sum ?? 0, sumSq: m.sumSq ?? 0 }
  }
  // Bonferroni's m: every comparison with units in both groups.
  const m = kind ? dims.reduce((a, d) => a + Object.values(segments[d]!).reduce((b, seg) => b + treatments.filter((t) => units(seg, control) > 0 && units(seg, t) > 0).length, 0), 0) : 0
  const alpha = e.alpha / Math.max(1, m)
  const lifts: Lift[] = []
  const dimensions = dims.map((dimension) => {
    const entries = Object.entries(segments[dimension]!).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const totals = Object.fromEntries(variants.map((v) => [v, entries.reduce((a, [, seg]) => a + units(seg, v), 0)]))
    const values = entries.map(([value, seg]) => ({
      value,
      units: Object.fromEntries(variants.map((v) => [v, units(seg, v)])),
      share: Object.fromEntries(variants.map((v) => [v, totals[v]! > 0 ? units(seg, v) / totals[v]! : null])),
      lifts: kind ? treatments.flatMap((t) => (units(seg, control) > 0 && units(seg, t) > 0 ? [lift(kind, t, stats(seg, control), stats(seg, t), alpha)] : [])) : [],
    }))
    for (const v of values) lifts.push(...v.lifts)
    const { chiSquare, df, pValue, flagged, reason } = chiSquareIndependence(entries.map(([, seg]) => variants.map((v) => units(seg, v))))
    const simpson = treatments.map((t) => {
      const whole = overall.metrics.find((r) => r.key === primary?.key)?.variants.find((r) => r.variant === t)?.comparison?.absolute.estimate ?? null
      const perValue = values.flatMap((v) => v.lifts.filter((l) => l.variant === t).map((l) => ({ segment: v.value, lift: l.absolute.estimate, n: l.n })))
      return { variant: t, ...simpsonCheck(kind ? whole : null, perValue, SIMPSON_MIN_UNITS, dimension) }
    })
    return { dimension, balance: { chiSquare, df, pValue, flagged, reason }, simpson, values }
  })
  const family = lifts.filter((l) => l.pValue !== null)
  const adjusted = family.length ? (e.correction === 'benjamini-hochberg' ? benjaminiHochberg : holm)(family.map((l) => l.pValue!)).adjusted : null
  family.forEach((l, i) => (l.adjustedPValue = adjusted?.[i] ?? null))
  return {
    metric: primary?.key ?? null,
    exploratory: true,
    note: `Exploratory: ${m} segment comparisons; p-values adjusted by ${e.correction}, CIs simultaneous at ${1 - e.alpha} (Bonferroni). Lifts are shown for the primary metric unless it is a ratio or windowed metric.`,
    dimensions,
  }
}

type Group = { n: number; x: number; sum: number; sumSq: number }

function lift(kind: 'binomial' | 'mean', variant: string, c: Group, t: Group, alpha: number): Lift {
  const test = kind === 'binomial' ? twoProportionTest({ control: { n: c.n, x: c.x }, treatment: { n: t.n, x: t.x }, alpha }) : welchTTest({ control: c, treatment: t, alpha })
  const value = (g: Group) => (kind === 'binomial' ? g.x / g.n : g.sum / g.n)
  return {
    variant,
    n: c.n + t.n,
    controlValue: value(c),
    value: value(t),
    absolute: { estimate: test.absolute.estimate, ci: test.absolute.ci },
    relative: { estimate: test.relative.estimate, ci: test.relative.ci },
    pValue: test.pValue,
    adjustedPValue: null,
    reason: test.reason,
  }
}
