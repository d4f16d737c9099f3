import { describe, expect, it } from 'vitest'
import { computeAllocation } from '../../../src/bandit/compute-allocation'
import { epsilonGreedyWeights } from '../../../src/bandit/epsilon-greedy-weights'
import { thompsonWeights } from '../../../src/bandit/thompson-weights'
import type { AllocationConfig, ArmCounts } from '../../../src/bandit/types'
import { ucb1Weights } from '../../../src/bandit/ucb1-weights'
import type { BanditType } from '../../../src/core/experiment'
import { seededRandom } from '../../../src/core/random'

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)
const arms = (...pairs: [number, number][]): ArmCounts[] => pairs.map(([units, conversions]) => ({ units, conversions }))

describe('computeAllocation: burn-in', () => {
  it('returns equal weights with reason no-data when nothing has been observed', () => {
    const r = computeAllocation(arms([0, 0], [0, 0], [0, 0]), { type: 'thompson' }, seededRandom(1))
    expect(r.phase).toBe('burn-in')
    expect(r.details.reason).toBe('no-data')
    for (const w of r.weights) expect(w).toBeCloseTo(1 / 3, 14)
  })

  it('keeps equal weights while any arm has fewer than burnIn units, however lopsided the data', () => {
    for (const type of ['thompson', 'ucb1', 'epsilon_greedy'] as const) {
      const r = computeAllocation(arms([5000, 2500], [99, 0]), { type }, seededRandom(1))
      expect(r.phase).toBe('burn-in')
      expect(r.details.reason).toBe('burn-in')
      expect(r.details.message).toMatch(/arm 1 has 99 units/)
      expect(r.weights).toEqual([0.5, 0.5])
    }
  })

  it('uses the configured base weights during burn-in, normalised and floored', () => {
    const r = computeAllocation(arms([10, 1], [10, 2]), { type: 'ucb1', baseWeights: [4, 1] }, seededRandom(1))
    expect(r.weights[0]).toBeCloseTo(0.8, 14)
    expect(r.weights[1]).toBeCloseTo(0.2, 14)
    const floored = computeAllocation(arms([0, 0], [0, 0]), { type: 'ucb1', baseWeights: [1, 0], floor: 0.1 }, seededRandom(1))
    expect(floored.weights).toEqual([0.9, 0.1])
  })

  it('honours a longer burn-in', () => {
    const r = computeAllocation(arms([150, 50], [150, 10]), { type: 'ucb1', burnIn: 200 }, seededRandom(1))
    expect(r.phase).toBe('burn-in')
  })
})

describe('computeAllocation: Thompson sampling', () => {
  it('gives more than 0.95 weight to a clearly better arm (1000 units at 0.3 vs 0.1)', () => {
    const r = computeAllocation(arms([1000, 300], [1000, 100]), { type: 'thompson' }, seededRandom('clear'))
    expect(r.phase).toBe('adaptive')
    expect(r.weights[0]).toBeGreaterThan(0.95)
    expect(r.weights[1]).toBeCloseTo(0.01, 12) // the default floor, not zero
    expect(r.details.probBest![0]).toBeGreaterThan(0.999)
  })

  it('gives near-equal weights to identical arms', () => {
    const r = computeAllocation(arms([1000, 100], [1000, 100]), { type: 'thompson' }, seededRandom('same'))
    // Monte Carlo sd with 10000 draws is 0.005.
    expect(Math.abs(r.weights[0]! - 0.5)).toBeLessThan(0.02)
    const three = computeAllocation(arms([500, 50], [500, 50], [500, 50]), { type: 'thompson' }, seededRandom('3'))
    for (const w of three.weights) expect(Math.abs(w - 1 / 3)).toBeLessThan(0.02)
  })

  it('matches P(best) integrated numerically (scipy.integrate.quad over Beta posteriors)', () => {
    // Posteriors Beta(31,171), Beta(41,161), Beta(36,166); reference P(best) from
    // ∫ f_i(x) Π_{j≠i} F_j(x) dx = [0.0578244, 0.6996455, 0.2425301].
    const probBest = thompsonWeights(arms([200, 30], [200, 40], [200, 35]), 40_000, seededRandom('quad'))
    const reference = [0.0578244, 0.6996455, 0.2425301]
    // Monte Carlo sd ≤ sqrt(0.25 / 40000) = 0.0025.
    probBest.forEach((p, i) => expect(Math.abs(p - reference[i]!)).toBeLessThan(0.01))
  })

  it('is reproducible with the same seed', () => {
    const data = arms([300, 40], [300, 45])
    const a = computeAllocation(data, { type: 'thompson', draws: 2000 }, seededRandom('x'))
    const b = computeAllocation(data, { type: 'thompson', draws: 2000 }, seededRandom('x'))
    expect(a.weights).toEqual(b.weights)
  })
})

describe('computeAllocation: UCB1', () => {
  it('matches a hand-computed example where the exploration bonus wins', () => {
    // N = 300: arm 0: 0.10 + sqrt(2 ln 300 / 100) = 0.437751; arm 1: 0.15 + sqrt(2 ln 300 / 200) = 0.388826.
    const r = computeAllocation(arms([100, 10], [200, 30]), { type: 'ucb1' }, seededRandom(1))
    expect(r.details.ucb![0]).toBeCloseTo(0.4377508690, 9)
    expect(r.details.ucb![1]).toBeCloseTo(0.3888259298, 9)
    expect(r.details.rawWeights).toEqual([1, 0])
    expect(r.weights).toEqual([0.99, 0.01])
  })

  it('sends everything (less the floor) to the best mean once bonuses are small', () => {
    const r = computeAllocation(arms([5000, 500], [5000, 1500]), { type: 'ucb1', floor: 0 }, seededRandom(1))
    expect(r.weights).toEqual([0, 1])
  })

  it('splits ties equally', () => {
    expect(ucb1Weights(arms([100, 10], [100, 30], [100, 30])).weights).toEqual([0, 0.5, 0.5])
  })
})

describe('computeAllocation: epsilon-greedy', () => {
  it('gives (1 − ε)/|best| + ε/k to the best arms and ε/k to the rest', () => {
    const r = computeAllocation(arms([100, 10], [100, 20], [100, 20]), { type: 'epsilon_greedy', epsilon: 0.3, floor: 0 }, seededRandom(1))
    expect(r.weights[0]).toBeCloseTo(0.1, 14)
    expect(r.weights[1]).toBeCloseTo(0.45, 14)
    expect(r.weights[2]).toBeCloseTo(0.45, 14)
  })

  it('defaults to ε = 0.1', () => {
    const r = computeAllocation(arms([1000, 100], [1000, 300]), { type: 'epsilon_greedy' }, seededRandom(1))
    expect(r.details.epsilon).toBe(0.1)
    expect(r.weights[0]).toBeCloseTo(0.05, 14)
    expect(r.weights[1]).toBeCloseTo(0.95, 14)
  })

  it('is uniform at ε = 1 and pure greedy at ε = 0', () => {
    expect(epsilonGreedyWeights([0.1, 0.3], 1)).toEqual([0.5, 0.5])
    expect(epsilonGreedyWeights([0.1, 0.3], 0)).toEqual([0, 1])
  })
})

describe('computeAllocation: invariants', () => {
  it('returns finite weights ≥ floor that sum to 1 within 1e-12 on 300 random inputs', () => {
    const rng = seededRandom('property')
    const types: BanditType[] = ['thompson', 'ucb1', 'epsilon_greedy']
    for (let trial = 0; trial < 300; trial++) {
      const k = 2 + Math.floor(rng() * 6)
      const data = Array.from({ length: k }, () => {
        const units = Math.floor(rng() * 3000)
        return { units, conversions: Math.floor(rng() * (units + 1)) }
      })
      const config: AllocationConfig = {
        type: types[trial % 3]!,
        floor: rng() < 0.2 ? 1 / k : (rng() * 1) / k,
        epsilon: rng(),
        draws: 200,
      }
      const { weights } = computeAllocation(data, config, rng)
      expect(weights).toHaveLength(k)
      for (const w of weights) {
        expect(Number.isFinite(w)).toBe(true)
        expect(w).toBeGreaterThanOrEqual(config.floor! - 1e-15)
      }
      expect(Math.abs(sum(weights) - 1)).toBeLessThan(1e-12)
    }
  })

  it('handles zero conversions everywhere without NaN', () => {
    for (const type of ['thompson', 'ucb1', 'epsilon_greedy'] as const) {
      const r = computeAllocation(arms([200, 0], [300, 0]), { type }, seededRandom(1))
      expect(JSON.stringify(r)).not.toMatch(/null|NaN/)
      expect(Math.abs(sum(r.weights) - 1)).toBeLessThan(1e-12)
    }
  })
})

describe('computeAllocation: invalid input', () => {
  const ok = arms([100, 10], [100, 20])
  const rng = seededRandom(1)
  it.each([
    ['conversions > units', arms([100, 101], [100, 1]), { type: 'thompson' }, /arms\[0\]\.conversions \(101\) exceeds units \(100\)/],
    ['negative units', arms([-1, 0], [100, 1]), { type: 'ucb1' }, /arms\[0\]\.units must be a finite number ≥ 0/],
    ['NaN conversions', arms([100, Number.NaN], [100, 1]), { type: 'ucb1' }, /arms\[0\]\.conversions must be/],
    ['no arms', [], { type: 'ucb1' }, /non-empty array/],
    ['unknown type', ok, { type: 'softmax' }, /config\.type must be one of thompson, ucb1, epsilon_greedy/],
    ['epsilon > 1', ok, { type: 'epsilon_greedy', epsilon: 1.5 }, /config\.epsilon must be in \[0, 1\]/],
    ['burnIn < 100', ok, { type: 'thompson', burnIn: 50 }, /config\.burnIn must be a finite number ≥ 100/],
    ['floor·k > 1', ok, { type: 'thompson', floor: 0.6 }, /config\.floor must satisfy .* floor=0\.6 with k=2/],
    ['draws = 0', ok, { type: 'thompson', draws: 0 }, /config\.draws must be an integer/],
    ['baseWeights of wrong length', ok, { type: 'thompson', baseWeights: [1] }, /one weight per arm \(2\)/],
  ] as [string, ArmCounts[], AllocationConfig, RegExp][])('throws a RangeError for %s', (_name, data, config, message) => {
    expect(() => computeAllocation(data, config, rng)).toThrowError(RangeError)
    expect(() => computeAllocation(data, config, rng)).toThrowError(message)
  })
})
