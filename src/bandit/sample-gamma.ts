import type { RandomSource } from '../core/random'
import { sampleNormal } from './sample-normal'

/**
 * Gamma(shape, 1) draw by Marsaglia & Tsang (2000), "A simple method for generating gamma variables":
 * d = a − 1/3, c = 1/sqrt(9d), v = (1 + c·z)³, accept d·v when ln u < z²/2 + d − d·v + d·ln v;
 * for a < 1 uses their boost Gamma(a) = Gamma(a + 1)·U^(1/a).
 * Throws RangeError unless shape is finite and > 0. For very small shapes the boost may underflow to 0.
 * @example
 * sampleGamma(2.5, seededRandom('g')) // mean 2.5, variance 2.5
 */
export function sampleGamma(shape: number, rng: RandomSource): number {
  if (!Number.isFinite(shape) || shape <= 0) {
    throw new RangeError(`sampleGamma: shape must be a finite number > 0, got ${shape}`)
  }
  if (shape < 1) {
    // 1 − rng() lies in (0, 1], so the power never hits 0^(1/a) from a zero uniform.
    return sampleGamma(shape + 1, rng) * Math.pow(1 - rng(), 1 / shape)
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const z = sampleNormal(rng)
    const t = 1 + c * z
    if (t <= 0) continue
    const v = t * t * t
    const u = rng()
    const z2 = z * z
    // Squeeze: avoids the two logarithms in ~98% of iterations.
    if (u < 1 - 0.0331 * z2 * z2) return d * v
    if (Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) return d * v
  }
}
