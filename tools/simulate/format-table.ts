/**
 * A plain-text table with a header rule, columns padded to their widest cell; a column whose body
 * cells all look like figures (`12.5`, `4.2%`, `42/1000`) is right-aligned, header included.
 * @example formatTable([['method', 'rate'], ['fixed', '5.1%']]) // 'method  rate\n------  ----\nfixed   5.1%'
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)))
  const figure = /^[-+]?[\d.,/]+%?$/
  const right = rows[0]!.map((_, c) => rows.length > 1 && rows.slice(1).every((r) => figure.test(r[c] ?? '')))
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd()
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}
