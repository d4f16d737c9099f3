import type { RandomSource } from '../core/random'
import { sampleGamma } from './sample-gamma'

/**
 * Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Devroye 1986, "Non-Uniform Random
 * Variate Generation", §IX.4). Throws RangeError unless a and b are finite and > 0.
 * @example
 * sampleBeta(2, 5, seededRandom('b')) // mean 2/7
 */
export function sampleBeta(a: number, b: number, rng: RandomSource): number {
  if (!Number.isFinite(a) || a <= 0 || !Number.isFinite(b) || b <= 0) {
    throw new RangeError(`sampleBeta: a and b must be finite numbers > 0, got a=${a}, b=${b}`)
  }
  const x = sampleGamma(a, rng)
  const y = sampleGamma(b, rng)
  const sum = x + y
  // Both gammas underflow only for tiny shapes, where Beta(a, b) tends to Bernoulli(a / (a + b)).
  if (sum === 0) return rng() < a / (a + b) ? 1 : 0
  return x / sum
}
