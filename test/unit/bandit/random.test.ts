import { describe, expect, it } from 'vitest'
import { cryptoRandom, seededRandom, type RandomSource } from '../../../src/core/random'

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough to place a p-value around 1e-3.
function normalSurvival(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const erfc =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x)
  return z >= 0 ? erfc / 2 : 1 - erfc / 2
}

// Exact series for the χ² upper tail (Abramowitz & Stegun 26.4.4 for odd df, 26.4.5 for even df).
function chiSquareSurvival(chi2: number, df: number): number {
  if (df % 2 === 0) {
    let term = 1
    let total = 1
    for (let r = 1; r < df / 2; r++) total += (term *= chi2 / 2 / r)
    return Math.exp(-chi2 / 2) * total
  }
  const x = Math.sqrt(chi2)
  const density = Math.exp(-chi2 / 2) / Math.sqrt(2 * Math.PI)
  let term = 1 / x
  let total = 0
  for (let r = 1; r <= (df - 1) / 2; r++) total += (term *= chi2 / (2 * r - 1))
  return 2 * normalSurvival(x) + 2 * density * total
}

function chiSquareUniform(rng: RandomSource, draws: number, bins: number): number {
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < draws; i++) counts[Math.floor(rng() * bins)]! += 1
  const expected = draws / bins
  return counts.reduce((s, c) => s + ((c - expected) * (c - expected)) / expected, 0)
}

describe('chi-square helper', () => {
  it('matches scipy.stats.chi2.sf at the 5% and 0.1% critical values for 9 df', () => {
    expect(chiSquareSurvival(16.919, 9)).toBeCloseTo(0.05, 3)
    expect(chiSquareSurvival(27.877, 9)).toBeCloseTo(0.001, 5)
    expect(chiSquareSurvival(18.307, 10)).toBeCloseTo(0.05, 4)
  })
})

describe('seededRandom', () => {
  it('returns the same sequence for the same seed', () => {
    const a = seededRandom('exp-42')
    const b = seededRandom('exp-42')
    const xs = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs)
  })

  it('returns different sequences for different seeds, including 1 versus "1"', () => {
    const first = (seed: string | number) => Array.from({ length: 4 }, seededRandom(seed))
    expect(first('a')).not.toEqual(first('b'))
    expect(first(1)).not.toEqual(first('1'))
    expect(first(0)).not.toEqual(first(1))
  })

  it('stays in [0, 1) with 53-bit resolution', () => {
    const rng = seededRandom(7)
    let finerThan32Bits = 0
    let outside = 0
    for (let i = 0; i < 100_000; i++) {
      const x = rng()
      if (!(x >= 0 && x < 1)) outside++
      if (!Number.isInteger(x * 2 ** 32)) finerThan32Bits++
    }
    expect(outside).toBe(0)
    expect(finerThan32Bits).toBeGreaterThan(99_000)
  })

  it('passes a chi-square uniformity test on 10 bins over 1e5 draws (p > 0.001)', () => {
    for (const seed of ['uniform', 0, 123456789]) {
      const chi2 = chiSquareUniform(seededRandom(seed), 100_000, 10)
      expect(chiSquareSurvival(chi2, 9)).toBeGreaterThan(0.001)
    }
  })

  it('has a chi-square test with the power to reject a slightly skewed source', () => {
    const rng = seededRandom('skewed')
    const chi2 = chiSquareUniform(() => rng() ** 1.05, 100_000, 10)
    expect(chiSquareSurvival(chi2, 9)).toBeLessThan(0.001)
  })

  it('has no lag-1 correlation between successive draws', () => {
    const rng = seededRandom('corr')
    const n = 100_000
    let prev = rng()
    let sxy = 0
    for (let i = 0; i < n; i++) {
      const x = rng()
      sxy += (prev - 0.5) * (x - 0.5)
      prev = x
    }
    // Under independence the correlation estimate has sd 1/sqrt(n) ≈ 0.003.
    expect(Math.abs(sxy / n / (1 / 12))).toBeLessThan(0.015)
  })

  it('throws a RangeError for a non-finite numeric seed', () => {
    expect(() => seededRandom(Number.NaN)).toThrowError(RangeError)
    expect(() => seededRandom(Infinity)).toThrowError(/finite/)
  })
})

describe('cryptoRandom', () => {
  it('yields distinct values in [0, 1) with mean near 1/2 across buffer refills', () => {
    const rng = cryptoRandom()
    const n = 100_000
    const seen = new Set<number>()
    let sum = 0
    let outside = 0
    for (let i = 0; i < n; i++) {
      const x = rng()
      if (!(x >= 0 && x < 1)) outside++
      seen.add(x)
      sum += x
    }
    expect(outside).toBe(0)
    expect(seen.size).toBeGreaterThan(n - 5)
    // sd of the mean is sqrt(1/12/n) ≈ 0.0009; 0.01 is > 10 sd, so this never flakes.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01)
  })
})
