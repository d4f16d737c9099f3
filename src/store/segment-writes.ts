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
import { rowInserter } from './durable-object/sql-rows'

/** The Durable Object's segment tables: each unit's values, and each dimension's admitted values. */
export const SEGMENT_SCHEMA = [
  'CREATE TABLE IF NOT EXISTS unit_segments (unit TEXT NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (unit, dim)) WITHOUT ROWID',
  'CREATE TABLE IF NOT EXISTS segment_values (dim TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (dim, value)) WITHOUT ROWID',
]

/**
 * Records a newly exposed unit's segments (values admitted or `(other)`) and returns the exposure
 * counter fields to bump, one per dimension (without the scope), and the unit's `unit_segments`
 * rows, which the caller writes for all the units of its batch at once (`insertUnitSegments`).
 * Units and dimensions are stored under the experiment's `scope` (the counter shard's key prefix),
 * so pooled experiments admit values each to their own bound. Runs inside the exposure's transaction.
 */
export function recordUnitSegments(admission: SegmentAdmission, scope: string, epoch: number, unit: string, variant: string, segments: SegmentValues, rows: string[]): string[] {
  const fields: string[] = []
  for (const dim in segments) {
    const val = admission.admit(scope + dim, segments[dim]!)
    rows.push(scope + unit, dim, val)
    fields.push(segmentExposureField(epoch, dim, val, variant))
  }
  return fields
}

/** Writes `unit_segments` rows given flat as unit, dim, value, … (the first write of a unit's dimension wins). */
export const insertUnitSegments = rowInserter('INSERT INTO unit_segments VALUES', ' ON CONFLICT (unit, dim) DO NOTHING', 3)

/**
 * A shard's admitted values per dimension, kept in memory so that admitting a known value costs no
 * query: the Durable Object is the only writer of its storage and its calls never interleave, so
 * the copy, read whole on first use, stays equal to the table. Values admitted inside a
 * transaction are staged and join the copy only once it committed (`commit`); a rolled-back
 * transaction drops them (`rollback`), so memory is never ahead of storage.
 */
export class SegmentAdmission {
  private admitted: Map<string, Set<string>> | undefined
  private readonly staged = new Map<string, Set<string>>()

  /** Reads and writes `segment_values` through `sql`. */
  constructor(private readonly sql: SqlStorage) {}

  /** The value `value` counts as in `dim`: itself while the dimension has room or knows it, else `(other)`. */
  admit(dim: string, value: string): string {
    if (value === OTHER) return value
    const known = this.load().get(dim)
    if (known?.has(value)) return value
    let added = this.staged.get(dim)
    if (added?.has(value)) return value
    if ((known?.size ?? 0) + (added?.size ?? 0) >= MAX_SEGMENT_VALUES) return OTHER
    this.sql.exec('INSERT INTO segment_values VALUES (?, ?)', dim, value)
    if (!added) this.staged.set(dim, (added = new Set()))
    added.add(value)
    return value
  }

  /** Makes the values admitted since the last commit or rollback part of the copy (their transaction committed). */
  commit(): void {
    if (this.staged.size === 0) return
    const admitted = this.load()
    for (const [dim, values] of this.staged) {
      let known = admitted.get(dim)
      if (!known) admitted.set(dim, (known = new Set()))
      for (const v of values) known.add(v)
    }
    this.staged.clear()
  }

  /** Forgets the values admitted since the last commit or rollback (their transaction was rolled back). */
  rollback(): void {
    this.staged.clear()
  }

  private load(): Map<string, Set<string>> {
    if (this.admitted) return this.admitted
    const admitted = new Map<string, Set<string>>()
    for (const { dim, value } of this.sql.exec<{ dim: string; value: string }>('SELECT dim, value FROM segment_values')) {
      let values = admitted.get(dim)
      if (!values) admitted.set(dim, (values = new Set()))
      values.add(value)
    }
    return (this.admitted = admitted)
  }
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
