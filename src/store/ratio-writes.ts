import { field } from '../core/counters'

/**
 * How an event names a ratio metric in `EventInput.metrics`: `<key>|<dx>|<dy>`, what it adds to the
 * unit's numerator and denominator totals (metric keys never contain "|"; numbers as JavaScript
 * prints them, which parse back to the same double in Lua and SQLite).
 * @example ratioToken('aov', 30, 1) // 'aov|30|1'
 */
export function ratioToken(key: string, dx: number, dy: number): string {
  return `${key}|${dx}|${dy}`
}

/** The metric key and deltas of a ratio token, or null when `token` is a plain metric key. */
export function parseRatioToken(token: string): { key: string; dx: number; dy: number } | null {
  const parts = token.split('|')
  if (parts.length !== 3) return null
  const dx = Number(parts[1])
  const dy = Number(parts[2])
  return parts[0] && Number.isFinite(dx) && Number.isFinite(dy) ? { key: parts[0], dx, dy } : null
}

/** Where a unit's ratio totals are kept among its per-metric totals (never a metric key: those have no "|"). */
export const ratioSlots = (key: string) => ({ x: `${key}|x`, y: `${key}|y` }) as const

/**
 * The counter increments of one ratio event for a unit whose totals go from (x0, y0) to
 * (x0 + dx, y0 + dy): converters once (first event), Σx, Σx², Σy, Σy², Σxy and their per-day
 * forms. The Lua event script (src/store/upstash/scripts/record-ratio.ts) does the same arithmetic
 * in the same order, so both stores hold equal doubles.
 */
export function ratioIncrements(epoch: number, day: string, variant: string, key: string, x0: number, y0: number, dx: number, dy: number, first: boolean): { totals: [number, number]; increments: [string, number][] } {
  const x1 = x0 + dx
  const y1 = y0 + dy
  const ds = x1 - x0
  const dq = x1 * x1 - x0 * x0
  const dsy = y1 - y0
  const dqy = y1 * y1 - y0 * y0
  const dp = x1 * y1 - x0 * y0
  const increments: [string, number][] = []
  if (first) increments.push([field.converters(epoch, variant, key), 1], [field.convertersByDay(epoch, day, variant, key), 1])
  increments.push(
    [field.sum(epoch, variant, key), ds],
    [field.sumByDay(epoch, day, variant, key), ds],
    [field.sumSq(epoch, variant, key), dq],
    [field.sumSqByDay(epoch, day, variant, key), dq],
    [field.sumY(epoch, variant, key), dsy],
    [field.sumYByDay(epoch, day, variant, key), dsy],
    [field.sumSqY(epoch, variant, key), dqy],
    [field.sumSqYByDay(epoch, day, variant, key), dqy],
    [field.sumXY(epoch, variant, key), dp],
    [field.sumXYByDay(epoch, day, variant, key), dp],
  )
  return { totals: [x1, y1], increments }
}
