import type { Dd } from './dd'
import { ddAddTo, H, L } from './dd-kernels'

/**
 * Double-double sum `x + y`, relative error ≲ 2⁻¹⁰⁴ (the "accurate" addition of Hida, Li & Bailey,
 * QD library, 2001; Joldes, Muller & Popescu 2017, Alg. 6).
 * @example ddAdd([1, 1e-20], [2, 0]) // [3, 1e-20]
 */
export function ddAdd(x: Dd, y: Dd): Dd {
  ddAddTo(x[0], x[1], y[0], y[1])
  return [H, L]
}
