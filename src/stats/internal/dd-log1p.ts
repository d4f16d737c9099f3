import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { ddDiv } from './dd-div'
import { ddLog } from './dd-log'
import { ddTwoAtanh } from './dd-two-atanh'

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
  return ddTwoAtanh(ddDiv(r, ddAdd([2, 0], r)))
}
