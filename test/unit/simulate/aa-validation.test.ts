import { describe, expect, it } from 'vitest'
import { runAaValidation } from '../../../tools/simulate/aa-validation'

// A smaller seeded run than `npm run simulate -- --aa 1000` (1000 × 5000 units): 1000 experiments of
// 1000 units with a look every 100 units, which finishes in a few seconds.
const options = { experiments: 1000, units: 1000, peekEvery: 100, rate: 0.1, alpha: 0.05, nStar: 5000, seed: 'aa-test' }

describe('A/A validation through the real assignment and statistics code', () => {
  it('should keep the false-positive rate of one fixed-horizon look near alpha, inflate it by peeking, and keep the sequential test under alpha', async () => {
    const r = await runAaValidation(options)
    expect(r.looks).toBe(10)
    expect(r.verified).toBe(600)
    expect(r.meanShareA).toBeCloseTo(0.5, 2)
    // (a) one look: binomial(1000, 0.05) lies in [3.5%, 6.5%] with probability ≈ 0.97.
    expect(r.fixedHorizon.rate).toBeGreaterThanOrEqual(0.035)
    expect(r.fixedHorizon.rate).toBeLessThanOrEqual(0.065)
    // (c) always valid: peeking cannot push it over alpha.
    expect(r.sequential.rate).toBeLessThanOrEqual(0.055)
    // (b) the peeking problem (docs/design.md, "Sequential testing"): ten looks roughly triple the false positives.
    expect(r.peeking.rate).toBeGreaterThan(2 * r.fixedHorizon.rate)
    expect(r.fixedHorizon.ci[0]).toBeLessThan(r.fixedHorizon.rate)
    expect(r.fixedHorizon.ci[1]).toBeGreaterThan(r.fixedHorizon.rate)
  }, 60_000)

  it('should be reproducible with the same seed', async () => {
    const small = { ...options, experiments: 50, units: 300 }
    expect(await runAaValidation(small)).toEqual(await runAaValidation(small))
  })

  it('should refuse settings that cannot run', async () => {
    await expect(runAaValidation({ ...options, units: 1 })).rejects.toThrow(/units must be an integer ≥ 2/)
    await expect(runAaValidation({ ...options, rate: 1 })).rejects.toThrow(/rate must be in \(0, 1\)/)
  })
})
