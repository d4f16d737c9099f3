import type { RandomSource } from '../core/random'

/**
 * Standard normal N(0,1) draw by the Marsaglia polar method: x = u·sqrt(−2 ln s / s) with (u, v)
 * uniform on the unit disc and s = u² + v² (Marsaglia & Bray 1964). Stateless, so the paired second
 * variate is discarded rather than cached between calls.
 * @example
 * sampleNormal(seededRandom(1)) // ≈ N(0, 1)
 */
export function sampleNormal(rng: RandomSource): number {
  for (;;) {
    const u = 2 * rng() - 1
    const v = 2 * rng() - 1
    const s = u * u + v * v
    // s = 0 would divide by zero; s ≥ 1 is outside the disc.
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s)
  }
}
