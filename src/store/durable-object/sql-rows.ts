/**
 * Multi-row statements for the Durable Object's SQLite: one `INSERT … VALUES (…), (…)` instead of
 * one statement per row. Each `exec` has a fixed cost beside SQLite's own work (a cursor object,
 * a statement-cache lookup, the bindings' conversion), so a unit's handful of rows in one
 * statement costs about what one row does. The statement text depends only on the row count, so
 * workerd's statement cache (keyed by text) keeps one prepared statement per count.
 */

/** Most bound parameters a statement here takes: under the 100 a Durable Object query takes. */
export const PARAMETERS_PER_STATEMENT = 96

/** Most rows per statement: with ≤ 3 columns, within PARAMETERS_PER_STATEMENT. */
const ROWS_PER_STATEMENT = PARAMETERS_PER_STATEMENT / 3

/** Writes rows given flat (`columns` values per row, in column order) through `sql`. */
export type RowInserter = (sql: SqlStorage, values: readonly SqlStorageValue[]) => void

/**
 * An inserter running `<head> (?, …), (?, …)…<tail>` over the rows it is given, in as few
 * statements as the parameter limit allows; rows keep their order, so the result equals one
 * statement per row whenever no two rows conflict with each other. Statement texts are built once
 * per row count and kept, so a call costs no string building.
 * @example rowInserter('INSERT INTO t VALUES', ' ON CONFLICT (k) DO NOTHING', 2)(sql, ['a', 1, 'b', 2])
 */
export function rowInserter(head: string, tail: string, columns: number): RowInserter {
  const row = `(${Array(columns).fill('?').join(', ')})`
  const texts: string[] = []
  const text = (rows: number) => (texts[rows] ??= `${head} ${Array(rows).fill(row).join(', ')}${tail}`)
  return (sql, values) => {
    const total = values.length / columns
    for (let start = 0; start < total; start += ROWS_PER_STATEMENT) {
      const rows = Math.min(ROWS_PER_STATEMENT, total - start)
      sql.exec(text(rows), ...(rows === total ? values : values.slice(start * columns, (start + rows) * columns)))
    }
  }
}
