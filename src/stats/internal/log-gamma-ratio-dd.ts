import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { ddDiv } from './dd-div'
import { ddLog } from './dd-log'
import { ddLog1p } from './dd-log1p'
import { ddMul } from './dd-mul'
import { logGammaDd } from './log-gamma-dd'
import { stirlingCorrection } from './stirling-correction'
import { twoSum } from './two-sum'

/**
 * ln Γ(a + b) − ln Γ(a) as a double-double. For a ≥ 15 it subtracts Stirling's formula term by term,
 * (a − ½)·log1p(b/a) + b·ln(a + b) − b + C(a + b) − C(a) (C = stirlingCorrection), so the result's
 * absolute error stays ~1e-19 even when ln Γ(a) itself is 1e20 (a = 5e18, the Student t at df = 1e19),
 * where subtracting two double-double ln Γ values would leave an error of ~1e-12.
 * @example logGammaRatioDd(5e18, 0.5)[0] // 21.6... (≈ ½ ln a)
 */
export function logGammaRatioDd(a: number, b: number): Dd {
  if (!(a >= 15)) {
    const big = logGammaDd(twoSum(a, b))
    const small = logGammaDd([a, 0])
    return ddAdd(big, [-small[0], -small[1]])
  }
  const ab = twoSum(a, b)
  const lnAb = ddAdd(ddLog(ab[0]), [ab[1] / ab[0], 0])
  let r = ddMul(twoSum(a, -0.5), ddLog1p(ddDiv([b, 0], [a, 0])))
  r = ddAdd(r, ddMul([b, 0], lnAb))
  r = ddAdd(r, [-b, 0])
  return ddAdd(r, [stirlingCorrection(ab[0]) - stirlingCorrection(a), 0])
}
