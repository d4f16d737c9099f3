import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { ddLog } from './dd-log'
import { ddMul } from './dd-mul'
import { stirlingCorrection } from './stirling-correction'

const LN_SQRT_2PI: Dd = [0.9189385332046728, -3.8782941580672414e-17]
const STIRLING_FROM = 15

/** ln of a positive double-double: ln(hi) + lo/hi (the neglected −(lo/hi)²/2 is below 2⁻¹⁰⁵). */
function lnDd(x: Dd): Dd {
  return ddAdd(ddLog(x[0]), [x[1] / x[0], 0])
}

/**
 * ln Γ(a) for a > 0 given as a double-double, returned as a double-double with absolute error ≲ 1e-18
 * (plus ≲ 1e-31·|ln Γ(a)|): Stirling's series (A&S 6.1.40, nine terms) for a ≥ 15 with the main part
 * (a − ½)·ln a − a + ln√(2π) in double-double; below 15, recurrence ln Γ(a) = ln Γ(a + n) − ln(a(a+1)…(a+n−1)).
 * Double-double keeps differences like ln Γ(a) − ln Γ(a + ½) exact for a up to ~1e15.
 * @example logGammaDd([10, 0]) // [12.801827480081469, 5.2e-16] (ln 9! = 12.8018274800814696112…)
 */
export function logGammaDd(a: Dd): Dd {
  if (!(a[0] > 0)) return [Number.NaN, 0]
  if (a[0] === Infinity) return [Infinity, 0]
  let z = a
  let lnProduct: Dd = [0, 0]
  if (a[0] < STIRLING_FROM) {
    let product: Dd = a
    z = ddAdd(a, [1, 0])
    while (z[0] < STIRLING_FROM) {
      product = ddMul(product, z)
      z = ddAdd(z, [1, 0])
    }
    lnProduct = lnDd(product)
  }
  const series = stirlingCorrection(z[0])
  let r = ddMul(ddAdd(z, [-0.5, 0]), lnDd(z))
  r = ddAdd(r, [-z[0], -z[1]])
  r = ddAdd(r, LN_SQRT_2PI)
  r = ddAdd(r, [series, 0])
  return ddAdd(r, [-lnProduct[0], -lnProduct[1]])
}
