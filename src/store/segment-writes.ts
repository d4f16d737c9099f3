/**
 * The store side of segments (src/core/segments.ts), the Durable Object's part; the Upstash scripts
 * do the same in Lua (src/store/upstash/scripts/). A unit's segment values are written once, with
 * its first exposure, on its shard, so its later events count in the same segments. A value is
 * admitted to a dimension only while the shard's set for that dimension has fewer than
 * MAX_SEGMENT_VALUES members, checked and extended in the exposure's own transaction, so concurrent
 * isolates cannot overfill it; later values count as `(other)`. Every shard bounds its own set and
 * the read folds the sum to the same bound (parseSegments).
 */
import { MAX_SEGMENT_VALUES, OTHER, segmentExposureField, segmentField, type SegmentValues } from '../core/segments'

/** The Durable Object's segment tables: each unit's values, and each dimension's admitted values. */
export const SEGMENT_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS unit_segments (
     unit TEXT NOT NULL,
     dim TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (unit, dim)
   ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS segment_values (
     dim TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (dim, value)
   ) WITHOUT ROWID`,
]

/**
 * Records a newly exposed unit's segments (values admitted or `(other)`) and returns the exposure
 * counter fields to bump, one per dimension. Runs inside the exposure's transaction.
 */
export function recordUnitSegments(sql: SqlStorage, epoch: number, unit: string, variant: string, segments: SegmentValues): string[] {
  const fields: string[] = []
  for (const [dim, wanted] of Object.entries(segments)) {
    const val = admit(sql, dim, wanted)
    sql.exec('INSERT INTO unit_segments VALUES (?, ?, ?) ON CONFLICT (unit, dim) DO NOTHING', unit, dim, val)
    fields.push(segmentExposureField(epoch, dim, val, variant))
  }
  return fields
}

function admit(sql: SqlStorage, dim: string, value: string): string {
  if (value === OTHER) return value
  if (sql.exec('SELECT 1 FROM segment_values WHERE dim = ? AND value = ?', dim, value).toArray().length) return value
  const count = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM segment_values WHERE dim = ?', dim).toArray()[0]?.n ?? 0
  if (count >= MAX_SEGMENT_VALUES) return OTHER
  sql.exec('INSERT INTO segment_values VALUES (?, ?)', dim, value)
  return value
}

/** A unit's recorded segments as [dimension, value] pairs (none for units exposed before segments existed). */
export function unitSegments(sql: SqlStorage, unit: string): [string, string][] {
  return sql.exec<{ dim: string; value: string }>('SELECT dim, value FROM unit_segments WHERE unit = ?', unit).toArray().map((r) => [r.dim, r.value])
}

/**
 * The segment copies of an event's counter increments: each mirrored overall field (n, s, q, sy,
 * qy, p) once per segment of the unit, with the same delta.
 */
export function segmentIncrements(increments: readonly { counter: string; delta: number }[], segments: readonly [string, string][]): { counter: string; delta: number }[] {
  if (segments.length === 0) return []
  const out: { counter: string; delta: number }[] = []
  for (const { counter, delta } of increments) {
    for (const [dim, val] of segments) {
      const name = segmentField(counter, dim, val)
      if (name) out.push({ counter: name, delta })
    }
  }
  return out
}
