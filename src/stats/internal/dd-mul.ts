import type { Dd } from './dd'
import { ddMulTo, H, L } from './dd-kernels'

/**
 * Double-double product `x · y`, relative error ≲ 2⁻¹⁰² (Dekker 1971; Joldes, Muller & Popescu 2017, Alg. 12).
 * @example ddMul([3, 0], [1 / 3, 0]) // [1, -5.551115123125783e-17]
 */
export function ddMul(x: Dd, y: Dd): Dd {
  ddMulTo(x[0], x[1], y[0], y[1])
  return [H, L]
}
