import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { twoProduct } from './two-product'

const LN2_HI = 0.6931471805599453
const LN2_LO = 2.3190468138462996e-17

/**
 * `exp(d) · m` for a double-double exponent d = hi + lo: exp(hi)·(1 + lo)·m, with the exponent
 * first reduced by k·ln 2 (in double-double) when exp(hi) alone would under- or overflow, so the
 * only roundings are those of Math.exp and three products (relative error ≲ 4 ulp).
 * @example ddExpMul([-700, 0], 1) // 9.85967654375977e-305
 */
export function ddExpMul(d: Dd, m: number): number {
  let [hi, lo] = d
  if (m === 0 || hi === -Infinity) return 0
  if (Number.isNaN(hi) || Number.isNaN(m)) return Number.NaN
  // |ln m| ≤ 745 for any finite m ≠ 0, so beyond ±1500 the result is 0 or ±∞ whatever m is
  if (hi < -1500) return 0 * m
  if (hi > 1500) return Infinity * m
  let k = 0
  if (hi < -700 || hi > 700) {
    k = Math.round(hi / LN2_HI)
    const [kh, kl] = twoProduct(-k, LN2_HI)
    ;[hi, lo] = ddAdd(ddAdd([hi, lo], [kh, kl]), [-k * LN2_LO, 0])
  }
  const e = Math.exp(hi)
  let r = (e + e * lo) * m
  if (k !== 0) {
    // multiply by 2^k in two exact steps so neither factor over/underflows on its own
    const k1 = Math.trunc(k / 2)
    r = r * 2 ** k1 * 2 ** (k - k1)
  }
  return r
}
