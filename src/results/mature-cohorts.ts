import type { ConversionWindow } from '../core/experiment'
import type { EpochCounters } from '../core/counters'

const DAY_MS = 86_400_000

/**
 * The part of an epoch's counters a windowed metric may be analysed on (docs/design.md, "Conversion
 * windows"): its per-day counters are kept by the units' day of first exposure, so the exposure
 * cohorts whose window has fully elapsed for every unit (end of the cohort's UTC day + window.end
 * ≤ now) give exact n, converters and sums, and the variants' totals are rebuilt from those days.
 * `maturing` counts the exposed units left out, still inside their window.
 * @example matureCohorts(counters, { start: 0, end: 86400 }, Date.parse('2026-11-30T12:00:00Z')) // only cohorts of 2026-11-28 and before
 */
export function matureCohorts(counters: EpochCounters, window: ConversionWindow, now: number): { counters: EpochCounters; maturing: number } {
  const days: EpochCounters['days'] = {}
  for (const [day, byVariant] of Object.entries(counters.days)) if (Date.parse(`${day}T00:00:00Z`) + DAY_MS + window.end * 1000 <= now) days[day] = byVariant
  const variants: EpochCounters['variants'] = {}
  let maturing = 0
  for (const [variant, total] of Object.entries(counters.variants)) {
    const metrics: EpochCounters['variants'][string]['metrics'] = {}
    let exposures = 0
    for (const byVariant of Object.values(days)) {
      const d = byVariant[variant]
      if (!d) continue
      exposures += d.exposures
      for (const [key, m] of Object.entries(d.metrics)) {
        const acc = (metrics[key] ??= { converters: 0, sum: 0, sumSq: 0 })
        acc.converters += m.converters
        acc.sum += m.sum
        acc.sumSq += m.sumSq
      }
    }
    maturing += total.exposures - exposures
    variants[variant] = { ...total, exposures, metrics }
  }
  return { counters: { variants, days }, maturing }
}
