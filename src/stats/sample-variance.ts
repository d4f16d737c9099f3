import type { MeanGroup } from './types'
import { ddAdd } from './internal/dd-add'
import { ddDiv } from './internal/dd-div'
import { twoProduct } from './internal/two-product'

/**
 * Unbiased sample variance from sufficient statistics, s² = (Σy² − (Σy)²/n)/(n − 1). The subtraction
 * is done in double-double ((Σy)² exactly by twoProduct, divided by n to ~2⁻¹⁰⁴), so the textbook
 * formula's catastrophic cancellation adds nothing to the error already in the inputs; a negative
 * difference (only possible from rounding upstream of the sums) is clamped to 0. NaN when n < 2.
 * @example sampleVariance({ n: 3, sum: 6, sumSq: 14 }) // 1 (data 1, 2, 3)
 */
export function sampleVariance(group: MeanGroup): number {
  const { n, sum, sumSq } = group
  if (!(n >= 2)) return Number.NaN
  const squareOverN = ddDiv(twoProduct(sum, sum), [n, 0])
  const centered = ddAdd([sumSq, 0], [-squareOverN[0], -squareOverN[1]])
  const ss = centered[0] + centered[1]
  return ss > 0 ? ss / (n - 1) : 0
}
