import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { ddDiv } from './dd-div'
import { ddLog } from './dd-log'
import { ddLog1p } from './dd-log1p'
import { incompleteBetaCore } from './incomplete-beta-core'
import { normalCdf } from '../normal-cdf'
import { twoProduct } from './two-product'

/** Above this df the Student t equals the normal to better than 1e-14 relative for |t| ≤ 38. */
const NORMAL_DF = 1e20

/**
 * Student t with df degrees of freedom at |t|: `upper` = P(T > |t|) = ½·I_{df/(df+t²)}(df/2, ½) and
 * `center` = P(0 < T < |t|) = ½·I_{t²/(df+t²)}(½, df/2) (A&S 26.7.1), each the smaller-side tail
 * computed directly; ln x = −ln(1 + t²/df) and ln y = ln(t²/df) − ln(1 + t²/df) are formed in
 * double-double (log1p), so no rounding of t², of 1 − x or of ln df − ln(df + t²) leaks into the
 * 1e-300 tail or into huge df.
 * @example studentTTails(2, 10) // { upper: 0.03669401738537019, center: 0.4633059826146298 }
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
  // r = t²/df; ln x = −ln(1 + r), ln y = ln r − ln(1 + r) with log1p in double-double, so that
  // neither ln x ≈ −t²/df (huge df) nor ln y ≈ ln(t²/df) (tiny t) is a difference of large logarithms
  let lnX: Dd
  let lnY: Dd
  let x: number // df / (df + t²)
  let y: number // t² / (df + t²)
  const r = ddDiv(twoProduct(at, at), [df, 0])
  if (at < 1e150 && r[0] < 1e300) {
    const lnOnePlusR = ddLog1p(r)
    lnX = [-lnOnePlusR[0], -lnOnePlusR[1]]
    lnY = ddAdd(ddAdd(ddLog(r[0]), [r[1] / r[0], 0]), lnX)
    x = 1 / (1 + r[0])
    y = r[0] / (1 + r[0])
  } else {
    // t²/df overflows: use v = df/t² instead (it may underflow to 0, harmlessly)
    const v = df / at / at
    const lnOnePlusV = ddLog1p([v, 0])
    lnY = [-lnOnePlusV[0], -lnOnePlusV[1]]
    const lnT = ddLog(at)
    lnX = ddAdd(ddAdd(ddLog(df), [-2 * lnT[0], -2 * lnT[1]]), lnY)
    x = v / (1 + v)
    y = 1 / (1 + v)
  }
  const { lower, upper } = incompleteBetaCore(df / 2, 0.5, x, y, lnX, lnY)
  return { upper: lower / 2, center: upper / 2 }
}
