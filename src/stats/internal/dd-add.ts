import type { Dd } from './dd'
import { twoSum } from './two-sum'

/**
 * Double-double sum `x + y`, relative error ≲ 2⁻¹⁰⁴ (the "accurate" addition of Hida, Li & Bailey,
 * QD library, 2001; Joldes, Muller & Popescu 2017, Alg. 6).
 * @example ddAdd([1, 1e-20], [2, 0]) // [3, 1e-20]
 */
export function ddAdd(x: Dd, y: Dd): Dd {
  const [sh, sl0] = twoSum(x[0], y[0])
  const [th, tl] = twoSum(x[1], y[1])
  let sl = sl0 + th
  let hi = sh + sl
  sl = sl - (hi - sh)
  sl += tl
  const h2 = hi + sl
  return [h2, sl - (h2 - hi)]
}
