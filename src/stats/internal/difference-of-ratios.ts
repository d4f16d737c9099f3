import { ddAdd } from './dd-add'
import { ddDiv } from './dd-div'

/**
 * a/n − b/m with a single final rounding (both quotients in double-double), so the difference of two
 * nearly equal means or rates carries no cancellation error (naively it can lose log₁₀(mean/diff) digits).
 * @example differenceOfRatios(3, 10, 1, 10) // 0.2 (naively 3/10 − 1/10 = 0.19999999999999998)
 */
export function differenceOfRatios(a: number, n: number, b: number, m: number): number {
  const q1 = ddDiv([a, 0], [n, 0])
  const q2 = ddDiv([b, 0], [m, 0])
  const d = ddAdd(q1, [-q2[0], -q2[1]])
  return d[0] + d[1]
}
