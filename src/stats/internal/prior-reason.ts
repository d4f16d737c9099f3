import type { BetaPrior } from '../types'

/**
 * Why a Beta prior is unusable for the exact formulas, or null.
 * @example priorReason({ alpha: 1, beta: 1 }) // null
 */
export function priorReason(prior: BetaPrior): string | null {
  const { alpha, beta } = prior ?? {}
  if (!(typeof alpha === 'number' && alpha > 0 && Number.isFinite(alpha) && typeof beta === 'number' && beta > 0 && Number.isFinite(beta))) {
    return 'prior alpha and beta must be positive and finite'
  }
  if (!Number.isInteger(alpha) && !Number.isInteger(beta)) {
    return 'prior: alpha or beta must be an integer for the exact Beta–Binomial formula'
  }
  return null
}
