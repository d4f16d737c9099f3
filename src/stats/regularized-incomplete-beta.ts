import type { Tails } from './types'
import { ddAdd } from './internal/dd-add'
import { ddLog } from './internal/dd-log'
import { incompleteBetaCore } from './internal/incomplete-beta-core'
import { twoSum } from './internal/two-sum'

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b)/B(a, b) (lower) and 1 − I_x(a, b) (upper), the
 * smaller computed directly by the continued fraction DLMF 8.17.22 with a double-double prefactor
 * (see incompleteBetaCore); NaN for a ≤ 0, b ≤ 0 or x ∉ [0, 1].
 * @example regularizedIncompleteBeta(0.5, 2, 3) // { lower: 0.6875000000000001, upper: 0.3124999999999999 }
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): Tails {
  if (!(a > 0 && b > 0 && x >= 0 && x <= 1) || a === Infinity || b === Infinity) {
    return { lower: Number.NaN, upper: Number.NaN }
  }
  const [yh, yl] = twoSum(1, -x) // 1 − x exactly, as a double-double
  const lnY = yh > 0 ? ddAdd(ddLog(yh), [yl / yh, 0]) : ([-Infinity, 0] as const)
  return incompleteBetaCore(a, b, x, yh, ddLog(x), lnY)
}
