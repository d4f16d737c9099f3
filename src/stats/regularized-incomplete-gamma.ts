import type { Dd } from './internal/dd'
import type { Tails } from './types'
import { ddAdd } from './internal/dd-add'
import { ddExpMul } from './internal/dd-exp-mul'
import { ddLog } from './internal/dd-log'
import { gammaContinuedFraction } from './internal/gamma-continued-fraction'
import { logGammaDd } from './internal/log-gamma-dd'
import { twoProduct } from './internal/two-product'

const EPS = 1e-17
const MAX_ITER = 1_000_000

/**
 * Regularized incomplete gamma P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = Γ(a, x)/Γ(a), each computed
 * directly where it is the smaller: for x < a + 1 the series P = xᵃe⁻ˣ/Γ(a+1)·Σ xⁿ/((a+1)…(a+n))
 * (A&S 6.5.29), otherwise Legendre's continued fraction for Q (A&S 6.5.31) by the modified Lentz
 * method (Numerical Recipes §6.2); the prefactor xᵃe⁻ˣ/Γ(a) is formed as exp of a double-double
 * logarithm so it stays accurate to a few ulp even near 1e-300.
 * @example regularizedIncompleteGamma(0.5, 2) // { lower: 0.9544997361036417, upper: 0.04550026389635835 }
 */
export function regularizedIncompleteGamma(a: number, x: number): Tails {
  if (!(a > 0) || Number.isNaN(x) || a === Infinity) return { lower: Number.NaN, upper: Number.NaN }
  if (x <= 0) return { lower: 0, upper: 1 }
  if (x === Infinity) return { lower: 1, upper: 0 }
  // ln(xᵃ e⁻ˣ / Γ(a)) in double-double
  const lnX = ddLog(x)
  const [ph, pl] = twoProduct(a, lnX[0])
  let lnPrefix: Dd = ddAdd([ph, pl + a * lnX[1]], [-x, 0])
  const lg = logGammaDd([a, 0])
  lnPrefix = ddAdd(lnPrefix, [-lg[0], -lg[1]])
  if (x < a + 1) {
    let ap = a
    let del = 1 / a
    let sum = del
    for (let i = 0; i < MAX_ITER; i++) {
      ap += 1
      del *= x / ap
      sum += del
      // remaining terms are bounded by a geometric series with ratio x/(ap + 1) < 1
      const ratio = x / (ap + 1)
      if (del * ratio < EPS * sum * (1 - ratio)) break
    }
    const lower = ddExpMul(lnPrefix, sum)
    return { lower, upper: 1 - lower }
  }
  const upper = ddExpMul(lnPrefix, gammaContinuedFraction(a, x))
  return { lower: 1 - upper, upper }
}
