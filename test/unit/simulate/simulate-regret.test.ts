import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/core/random'
import { simulateRegret, type RegretResult } from '../../../tools/simulate/simulate-regret'

const probs = [0.1, 0.2]
const horizon = 20_000
const run = (algorithm: 'thompson' | 'ucb1' | 'epsilon_greedy' | 'fixed'): RegretResult =>
  simulateRegret({ probs, horizon, algorithm, batchSize: 100, rng: seededRandom('regret') })

describe('simulateRegret', () => {
  const fixed = run('fixed')
  const thompson = run('thompson')

  it('gives the equal-split baseline an expected regret of about horizon·Δ/2', () => {
    // pulls of the worse arm ~ Bin(20000, 1/2): regret sd = 0.1·sqrt(5000) ≈ 7.
    expect(Math.abs(fixed.cumulativeRegret - 1000)).toBeLessThan(40)
  })

  it.each(['thompson', 'ucb1', 'epsilon_greedy'] as const)('%s beats the fixed split on [0.1, 0.2] over 20k units', (algorithm) => {
    const result = algorithm === 'thompson' ? thompson : run(algorithm)
    expect(result.cumulativeRegret).toBeLessThan(fixed.cumulativeRegret / 3)
    expect(result.pulls[1]).toBeGreaterThan(result.pulls[0]!)
  })

  it('has Thompson regret growing sub-linearly (second half < first half)', () => {
    const half = thompson.regretCurve[9]!
    expect(thompson.curveUnits[9]).toBe(horizon / 2)
    expect(thompson.cumulativeRegret - half).toBeLessThan(half)
  })

  it('returns consistent bookkeeping', () => {
    for (const r of [fixed, thompson]) {
      expect(r.pulls[0]! + r.pulls[1]!).toBe(horizon)
      r.conversions.forEach((c, i) => expect(c).toBeLessThanOrEqual(r.pulls[i]!))
      expect(r.regretCurve).toHaveLength(20)
      expect(r.curveUnits.at(-1)).toBe(horizon)
      expect(r.regretCurve.at(-1)).toBe(r.cumulativeRegret)
      for (let j = 1; j < 20; j++) expect(r.regretCurve[j]!).toBeGreaterThanOrEqual(r.regretCurve[j - 1]!)
      // Expected regret is exactly Δ per pull of the worse arm.
      expect(r.cumulativeRegret).toBeCloseTo(0.1 * r.pulls[0]!, 8)
    }
  })

  it('is reproducible with the same seed', () => {
    const opts = { probs: [0.05, 0.07, 0.06], horizon: 3000, algorithm: 'thompson' as const, batchSize: 250, config: { draws: 500 } }
    const a = simulateRegret({ ...opts, rng: seededRandom('rep') })
    const b = simulateRegret({ ...opts, rng: seededRandom('rep') })
    expect(a).toEqual(b)
  })

  it('throws a RangeError on invalid options', () => {
    const rng = seededRandom(1)
    expect(() => simulateRegret({ probs, horizon, algorithm: 'ucb1', batchSize: 0, rng })).toThrowError(/batchSize must be a positive integer/)
    expect(() => simulateRegret({ probs: [1.2], horizon, algorithm: 'ucb1', batchSize: 1, rng })).toThrowError(RangeError)
    expect(() => simulateRegret({ probs, horizon: 0, algorithm: 'ucb1', batchSize: 1, rng })).toThrowError(/horizon/)
    expect(() => simulateRegret({ probs, horizon, algorithm: 'ucb1', batchSize: 1, rng, config: { floor: 0.9 } })).toThrowError(/config\.floor/)
  })
})
