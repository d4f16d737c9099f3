import type { ConversionWindow, Metric } from '../core/experiment'
import { utcDay } from '../core/utc-day'
import type { EventInput } from '../store/counter-store'
import { windowToken } from '../store/exposure-times'

/**
 * An event batch's metric names with conversion windows applied (docs/design.md, "Conversion
 * windows"): a windowed metric counts an event only when start ≤ ts − firstExposure < end (seconds),
 * and is then named `<key>#<exposure day>` so its per-day counters are kept by exposure cohort; an
 * event outside the window, or of a unit without a recorded exposure time, drops the metric. Other
 * metrics pass unchanged. Pure: `times` are the units' first-exposure times (ms), `tsOf(i)` the
 * i-th event's time (ms).
 */
export function applyWindows(events: readonly EventInput[], metrics: readonly Metric[], times: Record<string, number>, tsOf: (i: number) => number): EventInput[] {
  const windows = new Map<string, ConversionWindow>(metrics.flatMap((m) => (m.window ? [[m.key, m.window] as const] : [])))
  if (windows.size === 0) return [...events]
  return events.map((e, i) => {
    const at = Object.hasOwn(times, e.unit) ? times[e.unit] : undefined
    const ts = tsOf(i)
    const names = e.metrics.flatMap((name) => {
      const w = windows.get(name)
      if (!w) return [name]
      if (at === undefined) return []
      const after = ts - at
      return after >= w.start * 1000 && after < w.end * 1000 ? [windowToken(name, utcDay(at))] : []
    })
    return { ...e, metrics: names }
  })
}
