import { chiSquareSf } from './chi-square-sf'
import { ddAdd } from './internal/dd-add'
import { jsonSafe } from './internal/json-safe'
import { twoProduct } from './internal/two-product'

export interface ChiSquareIndependenceResult {
  /** null when computed; otherwise why the numeric fields are null. */
  reason: string | null
  /** Pearson's χ² = Σᵢⱼ (Oᵢⱼ − Eᵢⱼ)²/Eᵢⱼ over the rows and columns with a non-zero total. */
  chiSquare: number | null
  /** (rows − 1)(columns − 1), counting only rows and columns with a non-zero total. */
  df: number | null
  pValue: number | null
  /** p < threshold (0.001 by default; false when pValue is null). */
  flagged: boolean
}

/**
 * Pearson's χ² test of independence of an r × c table of counts (Pearson 1900; Agresti 2013,
 * "Categorical Data Analysis", §3.2), e.g. segment × variant exposures for a balance check:
 * Eᵢⱼ = RᵢCⱼ/N, df = (r − 1)(c − 1), p = Q(df/2, χ²/2), no continuity correction (as scipy's
 * `chi2_contingency(correction=False)`). Each term is (OᵢⱼN − RᵢCⱼ)²/(N·Rᵢ·Cⱼ) with the numerator's
 * difference formed exactly in double-double, so large balanced tables lose no digits. Flagged at
 * p < 0.001 by default, the threshold used for sample ratio mismatch (Fabijan et al. 2019).
 * @example chiSquareIndependence([[10, 20], [30, 40]]) // { chiSquare: 0.7936…, df: 1, pValue: 0.3729…, flagged: false }
 */
export function chiSquareIndependence(table: readonly (readonly number[])[], threshold = 0.001): ChiSquareIndependenceResult {
  return jsonSafe(compute(table, threshold))
}

function compute(table: readonly (readonly number[])[], threshold: number): ChiSquareIndependenceResult {
  const fail = (reason: string): ChiSquareIndependenceResult => ({ reason, chiSquare: null, df: null, pValue: null, flagged: false })
  if (!Array.isArray(table) || table.length === 0) return fail('empty table')
  const width = table[0]!.length
  if (!table.every((row) => Array.isArray(row) && row.length === width && row.every((x) => Number.isSafeInteger(x) && x >= 0))) {
    return fail('counts must be non-negative integers in rows of equal length')
  }
  const rowTotals = table.map((row) => row.reduce((a: number, b: number) => a + b, 0))
  const colTotals = Array.from({ length: width }, (_, j) => table.reduce((a, row) => a + row[j]!, 0))
  const rows = rowTotals.flatMap((t, i) => (t > 0 ? [i] : []))
  const cols = colTotals.flatMap((t, j) => (t > 0 ? [j] : []))
  if (rows.length < 2 || cols.length < 2) return fail('fewer than two non-empty rows or columns')
  const n = rowTotals.reduce((a, b) => a + b, 0)
  let chiSquare = 0
  for (const i of rows) {
    for (const j of cols) {
      const [ph, pl] = twoProduct(table[i]![j]!, n)
      const [qh, ql] = twoProduct(rowTotals[i]!, colTotals[j]!)
      const d = ddAdd([ph, pl], [-qh, -ql])
      const diff = d[0] + d[1]
      chiSquare += (diff / n) * (diff / (rowTotals[i]! * colTotals[j]!))
    }
  }
  const df = (rows.length - 1) * (cols.length - 1)
  const pValue = chiSquareSf(chiSquare, df)
  return { reason: null, chiSquare, df, pValue, flagged: pValue < threshold }
}
