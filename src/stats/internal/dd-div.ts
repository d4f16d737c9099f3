import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { ddMul } from './dd-mul'

/**
 * Double-double quotient `x / y` by long division with two correction steps (Hida, Li & Bailey,
 * QD library, 2001), relative error ≲ 2⁻¹⁰².
 * @example ddDiv([1, 0], [3, 0]) // [0.3333333333333333, 1.850371707708594e-17]
 */
export function ddDiv(x: Dd, y: Dd): Dd {
  const q1 = x[0] / y[0]
  let r = ddAdd(x, ddMul(y, [-q1, 0]))
  const q2 = r[0] / y[0]
  r = ddAdd(r, ddMul(y, [-q2, 0]))
  const q3 = r[0] / y[0]
  return ddAdd(ddAdd([q1, 0], [q2, 0]), [q3, 0])
}
