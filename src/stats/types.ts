/** Both tails of a distribution function; the smaller one is always computed directly. */
export interface Tails {
  /** P(X ≤ x) (or the regularized lower integral). */
  lower: number
  /** P(X > x) = 1 − lower, never obtained by subtracting a value close to 1 from 1. */
  upper: number
}

/** A closed interval [low, high]. */
export type Interval = [low: number, high: number]

/** Sufficient statistics of a binomial metric: n units, x of them converted. */
export interface BinomialGroup {
  n: number
  x: number
}

/** Sufficient statistics of a mean metric: n units, Σ yᵢ and Σ yᵢ² of the per-unit totals. */
export interface MeanGroup {
  n: number
  sum: number
  sumSq: number
}

/** An estimated effect with its standard error and confidence interval (null when not computable). */
export interface Effect {
  estimate: number | null
  standardError: number | null
  ci: Interval | null
}

/** Beta prior Beta(alpha, beta) on a conversion rate. */
export interface BetaPrior {
  alpha: number
  beta: number
}

/**
 * Sufficient statistics of a ratio metric over n units, each unit contributing its numerator total
 * xᵢ and denominator total yᵢ (0 and 0 for a unit without events): Σx, Σy, Σx², Σy², Σxy.
 */
export interface RatioGroup {
  n: number
  sumX: number
  sumY: number
  sumXSq: number
  sumYSq: number
  sumXY: number
}
