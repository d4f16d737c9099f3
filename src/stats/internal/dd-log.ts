import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { ddTwoAtanh } from './dd-two-atanh'
import { twoProduct } from './two-product'
import { twoSum } from './two-sum'

const LN2_HI = 0.6931471805599453
const LN2_LO = 2.3190468138462996e-17
const SQRT2 = Math.SQRT2
const view = new DataView(new ArrayBuffer(8))

/** Splits a positive finite double into m·2^k with m ∈ [1, 2). */
function frexp(x: number): [number, number] {
  let k = 0
  if (x < 2.2250738585072014e-308) {
    x *= 2 ** 54 // subnormal: normalise first
    k = -54
  }
  view.setFloat64(0, x)
  const hiWord = view.getUint32(0)
  k += ((hiWord >>> 20) & 0x7ff) - 1023
  view.setUint32(0, (hiWord & 0x800fffff) | (1023 << 20))
  return [view.getFloat64(0), k]
}

/**
 * Natural logarithm of a positive double as a double-double: ln x = k·ln 2 + 2·atanh(s),
 * s = (m − 1)/(m + 1), m ∈ [√½, √2) (the reduction of fdlibm's e_log.c), the series' first three
 * terms in double-double and the rest in double; relative error ≲ 1e-21 (absolute ≲ 1e-30 near x = 1).
 * @example ddLog(10) // [2.302585092994046, -2.170756366612728e-16]
 */
export function ddLog(x: number): Dd {
  if (!(x > 0) || x === Infinity) return [Math.log(x), 0]
  let [m, k] = frexp(x)
  if (m > SQRT2) {
    m /= 2
    k += 1
  }
  const f = m - 1 // exact (Sterbenz)
  const [dh, dl] = twoSum(2, f)
  const sh = f / dh
  const [ph, pl] = twoProduct(sh, dh)
  const sl = (f - ph - pl - sh * dl) / dh
  // ln m = 2·atanh(s), s = (m − 1)/(m + 1) with |s| ≤ 0.1716.
  const lnM = ddTwoAtanh([sh, sl])
  if (k === 0) return lnM
  const [kh, kl] = twoProduct(k, LN2_HI)
  return ddAdd(ddAdd([kh, kl], [k * LN2_LO, 0]), lnM)
}
