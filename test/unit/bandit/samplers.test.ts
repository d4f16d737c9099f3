import { describe, expect, it } from 'vitest'
import { sampleBeta } from '../../../src/bandit/sample-beta'
import { sampleGamma } from '../../../src/bandit/sample-gamma'
import { sampleNormal } from '../../../src/bandit/sample-normal'
import { seededRandom } from '../../../src/core/random'

const N = 100_000

function moments(draw: () => number, n = N): { mean: number; variance: number; min: number } {
  let sum = 0
  let sumSq = 0
  let min = Infinity
  for (let i = 0; i < n; i++) {
    const x = draw()
    if (!Number.isFinite(x)) throw new Error(`non-finite draw ${x}`)
    sum += x
    sumSq += x * x
    min = Math.min(min, x)
  }
  const mean = sum / n
  return { mean, variance: sumSq / n - mean * mean, min }
}

describe('sampleNormal', () => {
  it('has mean 0, variance 1 and 95% of mass within ±1.96', () => {
    const rng = seededRandom('normal')
    const { mean, variance } = moments(() => sampleNormal(rng))
    expect(Math.abs(mean)).toBeLessThan(0.015)
    expect(Math.abs(variance - 1)).toBeLessThan(0.02)
    let inside = 0
    for (let i = 0; i < N; i++) if (Math.abs(sampleNormal(rng)) < 1.959964) inside++
    expect(Math.abs(inside / N - 0.95)).toBeLessThan(0.004)
  })
})

describe('sampleGamma', () => {
  // Gamma(a, 1) has mean a and variance a; tolerances are ~4 standard errors at n = 1e5.
  it.each([
    [0.3, 0.01, 0.06],
    [0.5, 0.012, 0.05],
    [1, 0.015, 0.04],
    [4.5, 0.03, 0.03],
    [50, 0.1, 0.03],
  ])('Gamma(%f) has mean and variance equal to the shape', (shape, meanTol, varRelTol) => {
    const rng = seededRandom(`gamma-${shape}`)
    const { mean, variance, min } = moments(() => sampleGamma(shape, rng))
    expect(min).toBeGreaterThanOrEqual(0)
    expect(Math.abs(mean - shape)).toBeLessThan(meanTol)
    expect(Math.abs(variance / shape - 1)).toBeLessThan(varRelTol)
  })

  it('for shape < 1 puts the right mass below 0.1 (CDF of Gamma(0.5) at 0.1 is erf(sqrt(0.1)) ≈ 0.3453)', () => {
    const rng = seededRandom('gamma-cdf')
    let below = 0
    for (let i = 0; i < N; i++) if (sampleGamma(0.5, rng) < 0.1) below++
    expect(Math.abs(below / N - 0.345279)).toBeLessThan(0.006)
  })

  it.each([0, -1, Number.NaN, Infinity])('throws a RangeError for shape %f', (shape) => {
    expect(() => sampleGamma(shape, seededRandom(1))).toThrowError(/sampleGamma: shape must be a finite number > 0/)
  })
})

describe('sampleBeta', () => {
  // Beta(a, b): mean a/(a+b), variance ab / ((a+b)²(a+b+1)).
  it.each([
    [2, 5],
    [0.5, 0.5],
    [1, 1],
    [301, 701],
  ])('Beta(%f, %f) matches the analytic mean and variance', (a, b) => {
    const rng = seededRandom(`beta-${a}-${b}`)
    const { mean, variance, min } = moments(() => sampleBeta(a, b, rng))
    const s = a + b
    const expectedMean = a / s
    const expectedVar = (a * b) / (s * s * (s + 1))
    expect(min).toBeGreaterThanOrEqual(0)
    expect(Math.abs(mean - expectedMean)).toBeLessThan(5 * Math.sqrt(expectedVar / N))
    expect(Math.abs(variance / expectedVar - 1)).toBeLessThan(0.03)
  })

  it('stays in [0, 1] and finite for tiny shapes', () => {
    const rng = seededRandom('beta-tiny')
    let outside = 0
    for (let i = 0; i < 10_000; i++) {
      const x = sampleBeta(0.01, 0.02, rng)
      if (!(x >= 0 && x <= 1)) outside++
    }
    expect(outside).toBe(0)
  })

  it('throws a RangeError for non-positive parameters', () => {
    expect(() => sampleBeta(0, 1, seededRandom(1))).toThrowError(RangeError)
    expect(() => sampleBeta(1, -2, seededRandom(1))).toThrowError(/a and b must be finite numbers > 0/)
  })

  it('is deterministic under a seeded source', () => {
    const a = seededRandom('same')
    const b = seededRandom('same')
    expect(Array.from({ length: 50 }, () => sampleBeta(3, 4, a))).toEqual(
      Array.from({ length: 50 }, () => sampleBeta(3, 4, b)),
    )
  })
})
