/**
 * First-exposure times and conversion-window tokens, the store side of windowed metrics
 * (docs/design.md, "Conversion windows"). Kept apart from the counters: per experiment, a unit's
 * first-exposure time in ms is written once, with its sticky record (Durable Object: in the record
 * itself, src/store/durable-object/unit-rows.ts; Upstash: in the hash `es:{<exp>}:t`), and read back in one call for the units of a batch.
 */

/** The Durable Object's table of first-exposure times of units written before the sticky row held them (read only). */
export const EXPOSURE_TIMES_SCHEMA = 'CREATE TABLE IF NOT EXISTS exposure_times (unit TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID'

/** The first-exposure times of `units` recorded in that older table, by unit. */
export function exposureTimes(sql: SqlStorage, units: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const unit of new Set(units)) {
    const row = sql.exec<{ at: number }>('SELECT at FROM exposure_times WHERE unit = ?', unit).toArray()[0]
    if (row) out[unit] = row.at
  }
  return out
}

/**
 * How an event names a windowed metric in `EventInput.metrics` once ingestion has checked the
 * window: `<key>#<day>`, the UTC day of the unit's first exposure, under which the metric's per-day
 * counters are kept (exposure cohorts, so the analysis can take only units whose window has elapsed).
 * @example windowToken('retained', '2026-11-28') // 'retained#2026-11-28'
 */
export function windowToken(key: string, day: string): string {
  return `${key}#${day}`
}

/** The metric key and cohort day of a window token, or null for any other name. */
export function parseWindowToken(token: string): { key: string; day: string } | null {
  const m = /^([^#|]+)#(\d{4}-\d\d-\d\d)$/.exec(token)
  return m ? { key: m[1]!, day: m[2]! } : null
}
