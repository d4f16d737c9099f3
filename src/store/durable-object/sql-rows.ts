/**
 * Multi-row statements for the Durable Object's SQLite: one `INSERT … VALUES (…), (…)` instead of
 * one statement per row. Each `exec` has a fixed cost beside SQLite's own work (a cursor object,
 * a statement-cache lookup, the bindings' conversion), so a unit's handful of rows in one
 * statement costs about what one row does. The statement text depends only on the row count, so
 * workerd's statement cache (keyed by text) keeps one prepared statement per count.
 */

/** Most rows per statement: with ≤ 3 columns, 96 bound parameters, under the 100 a Durable Object query takes. */
const ROWS_PER_STATEMENT = 32

// Statement texts by head, tail and row count, built once per isolate.
const texts = new Map<string, string[]>()

function text(head: string, tail: string, columns: number, rows: number): string {
  const key = `${head}\u0000${tail}\u0000${columns}`
  let byCount = texts.get(key)
  if (!byCount) texts.set(key, (byCount = []))
  const row = `(${Array(columns).fill('?').join(', ')})`
  return (byCount[rows] ??= `${head} ${Array(rows).fill(row).join(', ')}${tail}`)
}

/**
 * Runs `<head> (?, …), (?, …)…<tail>` over `values`, given flat (`columns` per row, in column
 * order), in as few statements as the parameter limit allows; rows keep their order, so the
 * result equals one statement per row whenever no two rows conflict with each other.
 * @example insertRows(sql, 'INSERT INTO t VALUES', ' ON CONFLICT (k) DO NOTHING', 2, ['a', 1, 'b', 2])
 */
export function insertRows(sql: SqlStorage, head: string, tail: string, columns: number, values: readonly SqlStorageValue[]): void {
  const total = values.length / columns
  for (let start = 0; start < total; start += ROWS_PER_STATEMENT) {
    const rows = Math.min(ROWS_PER_STATEMENT, total - start)
    const chunk = start === 0 && rows === total ? values : values.slice(start * columns, (start + rows) * columns)
    sql.exec(text(head, tail, columns, rows), ...chunk)
  }
}
