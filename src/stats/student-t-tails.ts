import type { Dd } from './types'
import { ddAdd } from './dd-add'
import { ddLog } from './dd-log'
import { incompleteBetaCore } from './incomplete-beta-core'
import { normalCdf } from './normal-cdf'
import { twoProduct } from './two-product'

/** Above this df the Student t equals the normal to better than 1e-14 relative for |t| ≤ 38. */
const NORMAL_DF = 1e20

/**
 * Student t with df degrees of freedom at |t|: `upper` = P(T > |t|) = ½·I_{df/(df+t²)}(df/2, ½) and
 * `center` = P(0 < T < |t|) = ½·I_{t²/(df+t²)}(½, df/2) (A&S 26.7.1), each the smaller-side tail
 * computed directly; df + t² and the logarithms of both beta arguments are formed in double-double,
 * so no rounding of t² or of 1 − x leaks into the 1e-300 tail.
 * @example studentTTails(2, 10) // { upper: 0.036694017385370196, center: 0.4633059826146298 }
 */
export function studentTTails(t: number, df: number): { upper: number; center: number } {
  if (Number.isNaN(t) || !(df > 0)) return { upper: Number.NaN, center: Number.NaN }
  const at = Math.abs(t)
  if (at === 0) return { upper: 0.5, center: 0 }
  if (at === Infinity) return { upper: 0, center: 0.5 }
  if (df > NORMAL_DF) {
    const upper = normalCdf(-at)
    return { upper, center: 0.5 - upper }
  }
  const lnT = ddLog(at)
  const lnT2: Dd = [2 * lnT[0], 2 * lnT[1]]
  let lnS: Dd // ln(df + t²)
  let x: number // df / (df + t²)
  let y: number // t² / (df + t²)
  if (at < 1e150) {
    const t2 = twoProduct(at, at)
    const s = ddAdd([df, 0], t2)
    lnS = ddAdd(ddLog(s[0]), [s[1] / s[0], 0])
    x = df / s[0]
    y = t2[0] / s[0]
  } else {
    // t² overflows: ln(df + t²) = 2 ln|t| + log1p(df/t²)
    const r = df / at / at
    lnS = ddAdd(lnT2, [Math.log1p(r), 0])
    x = r / (1 + r)
    y = 1 / (1 + r)
  }
  const lnX = ddAdd(ddLog(df), [-lnS[0], -lnS[1]])
  const lnY = ddAdd(lnT2, [-lnS[0], -lnS[1]])
  const { lower, upper } = incompleteBetaCore(df / 2, 0.5, x, y, lnX, lnY)
  return { upper: lower / 2, center: upper / 2 }
}
