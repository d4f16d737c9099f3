import { ddAdd } from './internal/dd-add'
import { ddExpMul } from './internal/dd-exp-mul'
import { ddLog } from './internal/dd-log'
import { logBetaDd } from './internal/log-beta-dd'
import { normalPdf } from './normal-pdf'

/**
 * Student t density f(t) = (1 + t²/df)^{−(df+1)/2} / (√df · B(df/2, ½)), with ln B in double-double.
 * @example studentTPdf(0, 1) // 0.3183098861837907 (= 1/π)
 */
export function studentTPdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (df === Infinity) return normalPdf(t)
  const at = Math.abs(t)
  if (at === Infinity) return 0
  // ln(1 + t²/df), without overflow for huge |t|
  const r = at / Math.sqrt(df)
  const lnTerm = r < 1e150 ? Math.log1p(r * r) : 2 * Math.log(r)
  const lnB = logBetaDd(df / 2, 0.5)
  const lnDf = ddLog(df)
  const lnPdf = ddAdd([-((df + 1) / 2) * lnTerm, 0], ddAdd([-lnB[0], -lnB[1]], [-lnDf[0] / 2, -lnDf[1] / 2]))
  return ddExpMul(lnPdf, 1)
}
