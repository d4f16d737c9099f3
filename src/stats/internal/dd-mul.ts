import type { Dd } from './dd'
import { twoProduct } from './two-product'

/**
 * Double-double product `x · y`, relative error ≲ 2⁻¹⁰² (Dekker 1971; Joldes, Muller & Popescu 2017, Alg. 12).
 * @example ddMul([3, 0], [1 / 3, 0]) // [1, -5.551115123125783e-17]
 */
export function ddMul(x: Dd, y: Dd): Dd {
  const [ph, pl0] = twoProduct(x[0], y[0])
  const pl = pl0 + (x[0] * y[1] + x[1] * y[0])
  const hi = ph + pl
  return [hi, pl - (hi - ph)]
}
