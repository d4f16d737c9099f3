/**
 * A counter object's per-unit rows: one row per unit holding the unit's first assignment in every
 * scope (experiment) of the object, instead of one row per unit and scope. A new unit exposed to
 * ten experiments of a pool is one B-tree insert, not ten at ten places of the index: with ordered
 * ids about half the SQLite CPU per exposure, and with random ids (an API caller's user ids), where
 * every insert dirties a page of its own, about a quarter (tools/bench/sqlite-keys/run.mjs;
 * docs/performance.md, "One row per unit").
 *
 * A row stays below MAX_ROW_CHARS, so it fits its B-tree page (SQLite moves a cell over ~1 KB of a
 * 4 KB page to overflow pages, which every rewrite of the row would then rewrite too): a unit's
 * records beyond that go to `unit_spills`, one row per unit and scope, where reads of a unit
 * with a row look for records the row lacks. Objects written before these rows existed keep their
 * `sticky` rows (src/store/durable-object/counter-shard.ts), which reads also consult and nothing writes.
 */
import { PARAMETERS_PER_STATEMENT, rowInserter } from './sql-rows'

/** One scope's record in a unit's row: the first assignment, its first exposure's time (ms) and segments as counted. */
export type UnitRecord = [variant: string, epoch: number, allocationVersion: number, at: number | null, segments: [string, string][]]

/**
 * The tables: a unit's row, whose `records` is JSON, scope key prefix (`<number>/`, or '' for an
 * unpooled object's empty scope) → UnitRecord; and the records that spilled, keyed
 * `<scope prefix><unit>` like the other per-unit tables.
 */
export const UNIT_ROWS_SCHEMA = [
  'CREATE TABLE IF NOT EXISTS unit_rows (unit TEXT PRIMARY KEY, records TEXT NOT NULL) WITHOUT ROWID',
  'CREATE TABLE IF NOT EXISTS unit_spills (unit TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID',
]

/** The longest `records` text a row takes before records spill (see above): ~12 two-segment records. */
export const MAX_ROW_CHARS = 900

/**
 * A unit's row as one call reads and changes it: its records, the length of their JSON, and
 * whether records of the unit may have spilled (its row was stored, or this call spilled one).
 */
export type UnitRow = { records: Record<string, UnitRecord>; chars: number; dirty: boolean; spills: boolean }

// Units' rows, new or replacing the ones read (no triggers or foreign keys: REPLACE is a plain overwrite).
const saveRows = rowInserter('INSERT OR REPLACE INTO unit_rows VALUES', '', 2)

/**
 * The unit rows one call reads and writes: each row is read once (a new unit's as empty), changed
 * in memory and written once by `save`, inside the call's transaction.
 */
export class UnitRows {
  private readonly rows = new Map<string, UnitRow>()

  /** Reads through `sql`. */
  constructor(private readonly sql: SqlStorage) {}

  /**
   * Reads the rows of the units not read yet, one statement per PARAMETERS_PER_STATEMENT of them: each
   * `exec` costs a cursor and a binding pass beside SQLite's own work (src/store/durable-object/sql-rows.ts).
   */
  load(units: readonly string[]): void {
    // A unit named twice is read twice by one statement: harmless, and cheaper than a Set.
    const wanted = units.filter((unit) => !this.rows.has(unit))
    for (let start = 0; start < wanted.length; start += PARAMETERS_PER_STATEMENT) {
      const part = wanted.slice(start, start + PARAMETERS_PER_STATEMENT)
      for (const unit of part) this.rows.set(unit, { records: {}, chars: 2, dirty: false, spills: false })
      const found = this.sql.exec<{ unit: string; records: string }>(`SELECT unit, records FROM unit_rows WHERE unit IN (${part.map(() => '?')})`, ...part)
      for (const { unit, records } of found) this.rows.set(unit, { records: JSON.parse(records) as Record<string, UnitRecord>, chars: records.length, dirty: false, spills: true })
    }
  }

  /** The unit's row (empty for a unit the object has not seen). */
  get(unit: string): UnitRow {
    // A row already read costs a one-unit filter here: nothing beside a statement, and fewer bytes than a check.
    this.load([unit])
    return this.rows.get(unit)!
  }

  /** The unit's record in the scope whose key prefix is `prefix`, in its row or spilled, or undefined. */
  find(unit: string, prefix: string): UnitRecord | undefined {
    const row = this.get(unit)
    const own = row.records[prefix]
    if (own || !row.spills) return own
    const spilled = this.sql.exec<{ record: string }>('SELECT record FROM unit_spills WHERE unit = ?', prefix + unit).toArray()[0]
    return spilled ? (JSON.parse(spilled.record) as UnitRecord) : undefined
  }

  /** Adds the unit's record in one scope: to its row while the row has room, else to `unit_spills`. */
  add(unit: string, prefix: string, record: UnitRecord): void {
    const row = this.get(unit)
    const text = JSON.stringify(record)
    // The record's share of the row's JSON: `"<prefix>":<record>` and a comma.
    const chars = prefix.length + 4 + text.length
    if (row.chars + chars > MAX_ROW_CHARS && row.chars > 2) {
      this.sql.exec('INSERT INTO unit_spills VALUES (?, ?)', prefix + unit, text)
      row.spills = true
      return
    }
    row.records[prefix] = record
    row.chars += chars
    row.dirty = true
  }

  /** Writes every changed row, many to a statement. */
  save(): void {
    const values: string[] = []
    for (const [unit, row] of this.rows) if (row.dirty) values.push(unit, JSON.stringify(row.records))
    saveRows(this.sql, values)
  }
}
