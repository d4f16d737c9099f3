import type { MetricResult, SrmResult, Verdict } from './types'

const count = (n: number) => n.toLocaleString('en-US')
const percent = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`

/**
 * The verdict on one metric in words. Significance comes from the always-valid sequential test at
 * any time, or from the (multiplicity-adjusted) fixed-horizon test only once the planned sample size
 * is reached — reading a fixed-horizon p-value earlier is peeking (docs/design.md, "Sequential testing").
 */
export function metricVerdict(m: Omit<MetricResult, 'verdict'>, control: string, srm: SrmResult): Verdict {
  if (srm.mismatch) return { status: 'srm', text: 'sample ratio mismatch: do not trust these results' }
  const n = m.variants.reduce((s, v) => s + v.n, 0)
  if (n === 0) return { status: 'no_data', text: 'no exposures yet' }
  const label = m.name
  const winners = m.variants.filter((v) => v.comparison?.significant)
  if (winners.length) {
    const best = winners.reduce((a, b) => (Math.abs(b.comparison!.relative.estimate ?? 0) > Math.abs(a.comparison!.relative.estimate ?? 0) ? b : a))
    const lift = best.comparison!.absolute.estimate ?? 0
    const rel = best.comparison!.relative.estimate
    const detail = rel === null ? '' : ` (${percent(rel)})`
    return lift >= 0
      ? { status: 'significant', text: `significant: ${best.variant} beats ${control} on ${label}${detail}` }
      : { status: 'significant', text: `significant: ${control} beats ${best.variant} on ${label}${detail}` }
  }
  const smallest = Math.min(...m.variants.map((v) => v.n))
  const required = Math.max(0, ...m.variants.map((v) => v.comparison?.requiredN ?? 0))
  if (required === 0) {
    const why = m.variants.find((v) => v.comparison?.reason)?.comparison?.reason
    return { status: 'keep_running', text: `keep running: ${count(smallest)} units in the smallest variant${why ? ` (${why})` : ''}` }
  }
  if (smallest < required) return { status: 'keep_running', text: `keep running: ${count(smallest)} of ${count(required)} units per variant` }
  return { status: 'no_difference', text: `no significant difference on ${label} after ${count(smallest)} units per variant` }
}
