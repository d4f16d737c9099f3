import type { Dd } from './types'
import { ddAdd } from './dd-add'
import { ddDiv } from './dd-div'
import { ddLog } from './dd-log'
import { ddMul } from './dd-mul'

const TWO_THIRDS: Dd = [0.6666666666666666, 3.700743415417188e-17]
const TWO_FIFTHS: Dd = [0.4, -2.2204460492503132e-17]

/**
 * ln(1 + r) for a double-double r > −1, as a double-double with relative error ≲ 1e-21 however small r
 * is: for |r| ≤ √2 − 1 the series 2·atanh(s) = 2s + 2s³/3 + 2s⁵/5 + …, s = r/(2 + r) (|s| ≤ 0.172; first
 * three terms in double-double, the rest in double — fdlibm's log1p reduction); otherwise ln of the
 * double-double 1 + r. Needed wherever ln x is wanted for x = 1/(1 + r) near 1, e.g. the Student t
 * at huge df, where ln(df) − ln(df + t²) would cancel away every digit.
 * @example ddLog1p([1e-20, 0]) // [1e-20, -5e-41]
 */
export function ddLog1p(r: Dd): Dd {
  if (!(r[0] > -1)) return [r[0] === -1 ? -Infinity : Number.NaN, 0]
  if (Math.abs(r[0]) > 0.41421356237309503) {
    const one = ddAdd([1, 0], r)
    return ddAdd(ddLog(one[0]), [one[1] / one[0], 0])
  }
  if (r[0] === 0) return [0, 0]
  const s = ddDiv(r, ddAdd([2, 0], r))
  const sSq = ddMul(s, s)
  const sCube = ddMul(sSq, s)
  const sFifth = ddMul(sCube, sSq)
  const s2 = sSq[0]
  let poly = 1 / 31
  for (let j = 14; j >= 3; j--) poly = poly * s2 + 1 / (2 * j + 1)
  const rest = 2 * s[0] * s2 * s2 * s2 * poly
  const odd = ddAdd(ddAdd(ddMul(sCube, TWO_THIRDS), ddMul(sFifth, TWO_FIFTHS)), [rest, 0])
  return ddAdd([2 * s[0], 2 * s[1]], odd)
}
