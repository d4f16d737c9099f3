/**
 * The store side of segments (src/core/segments.ts), the Durable Object's part; the Upstash scripts
 * do the same in Lua (src/store/upstash/scripts/). A unit's segment values are written once, with
 * its first exposure, in its sticky record on its shard, so its later events count in the same
 * segments (units exposed before the row held them have them in `unit_segments`). A value is
 * admitted to a dimension only while the shard's set for that dimension has fewer than
 * MAX_SEGMENT_VALUES members, checked and extended in the exposure's own transaction, so concurrent
 * isolates cannot overfill it; later values count as `(other)`. Every shard bounds its own set and
 * the read folds the sum to the same bound (parseSegments).
 */
import { MAX_SEGMENT_VALUES, OTHER, segmentField, type SegmentValues } from '../core/segments'

/** The Durable Object's segment tables: each unit's values (units written before the sticky row held them), and each dimension's admitted values. */
export const SEGMENT_SCHEMA = [
  'CREATE TABLE IF NOT EXISTS unit_segments (unit TEXT NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (unit, dim)) WITHOUT ROWID',
  'CREATE TABLE IF NOT EXISTS segment_values (dim TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (dim, value)) WITHOUT ROWID',
]

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

  /**
   * The values a unit's segments would count as under the key prefix `prefix` (its experiment's in
   * the counter object; `admit`'s answers, dimension by
   * dimension), without admitting anything: the caller admits them once the unit turns out new.
   */
  valuesOf(prefix: string, segments: SegmentValues): [string, string][] {
    const out: [string, string][] = []
    for (const dim in segments) out.push([dim, this.wouldAdmit(prefix + dim, segments[dim]!) ? segments[dim]! : OTHER])
    return out
  }

  /** The value `value` counts as in `dim`: itself while the dimension has room or knows it, else `(other)`. */
  admit(dim: string, value: string): string {
    if (value === OTHER || this.load().get(dim)?.has(value)) return value
    let added = this.staged.get(dim)
    if (added?.has(value)) return value
    if (!this.wouldAdmit(dim, value)) return OTHER
    this.sql.exec('INSERT INTO segment_values VALUES (?, ?)', dim, value)
    if (!added) this.staged.set(dim, (added = new Set()))
    added.add(value)
    return value
  }

  // Whether `value` counts as itself in `dim`: it is OTHER, known, staged, or the dimension has room.
  private wouldAdmit(dim: string, value: string): boolean {
    if (value === OTHER) return true
    const known = this.load().get(dim)
    if (known?.has(value)) return true
    const added = this.staged.get(dim)
    return !!added?.has(value) || (known?.size ?? 0) + (added?.size ?? 0) < MAX_SEGMENT_VALUES
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
