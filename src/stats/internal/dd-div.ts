import type { Dd } from './dd'
import { ddDivTo, H, L } from './dd-kernels'

/**
 * Double-double quotient `x / y` by long division with two correction steps (Hida, Li & Bailey,
 * QD library, 2001), relative error ≲ 2⁻¹⁰².
 * @example ddDiv([1, 0], [3, 0]) // [0.3333333333333333, 1.850371707708594e-17]
 */
export function ddDiv(x: Dd, y: Dd): Dd {
  ddDivTo(x[0], x[1], y[0], y[1])
  return [H, L]
}
