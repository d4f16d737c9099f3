import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { ddMul } from './dd-mul'

const TWO_THIRDS: Dd = [0.6666666666666666, 3.700743415417188e-17]
const TWO_FIFTHS: Dd = [0.4, -2.2204460492503132e-17]

/**
 * 2·atanh(s) = 2s + 2s³/3 + 2s⁵/5 + 2s·Σ_{j≥3} s^{2j}/(2j+1) for a double-double |s| ≤ 0.1716: the
 * first three terms in double-double, the rest (< 3e-6 of the total) in double, 12 terms to 1e-22
 * relative (fdlibm's log/log1p reduction, ln m = 2·atanh((m − 1)/(m + 1))).
 * @example ddTwoAtanh([0.1, 0]) // ≈ [0.2006707480528476, …]
 */
export function ddTwoAtanh(s: Dd): Dd {
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
