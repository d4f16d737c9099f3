import { describe, expect, it } from 'vitest'
import {
  benjaminiHochberg,
  chanceToBeatControlBinomial,
  chanceToBeatControlMean,
  expectedLossBinomial,
  expectedLossMean,
  holm,
  meanPower,
  proportionPower,
  requiredSampleSize,
  requiredSampleSizeMean,
  sampleRatioMismatch,
  sequentialTest,
  twoProportionTest,
  welchTTest,
} from '../../../src/stats'
import type { SequentialTestInput } from '../../../src/stats'
import bayesianJson from '../../fixtures/stats/bayesian.json'
import multipleTestingJson from '../../fixtures/stats/multiple-testing.json'
import sampleRatioMismatchJson from '../../fixtures/stats/sample-ratio-mismatch.json'
import sampleSizeJson from '../../fixtures/stats/sample-size.json'
import sequentialTestJson from '../../fixtures/stats/sequential-test.json'
import twoProportionTestJson from '../../fixtures/stats/two-proportion-test.json'
import welchTTestJson from '../../fixtures/stats/welch-t-test.json'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any
// Fixtures written by tools/fixtures/stats_fixtures.py (mpmath, 50 digits, exact rational inputs).
const fixtures: Record<string, Json> = {
  'two-proportion-test.json': twoProportionTestJson,
  'welch-t-test.json': welchTTestJson,
  'sample-size.json': sampleSizeJson,
  'sample-ratio-mismatch.json': sampleRatioMismatchJson,
  'multiple-testing.json': multipleTestingJson,
  'sequential-test.json': sequentialTestJson,
  'bayesian.json': bayesianJson,
}
const load = (name: string): Json => fixtures[name]

/** Every test-level number must be within this relative error of the 50-digit reference. */
const TOL = 1e-12

/**
 * Walks `expected` and compares each number in it with the same path in `actual`; returns the
 * largest relative error found and where. A number missing from `expected` is not compared.
 */
function compare(actual: Json, expected: Json, path = ''): { err: number; where: string } {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return { err: Infinity, where: `${path} (got ${actual})` }
    const err = expected === actual ? 0 : Math.abs(actual - expected) / Math.abs(expected)
    return { err, where: path }
  }
  if (typeof expected === 'boolean') return { err: actual === expected ? 0 : Infinity, where: path }
  let worst = { err: 0, where: '' }
  for (const key of Object.keys(expected)) {
    const r = compare(actual?.[key], expected[key], `${path}.${key}`)
    if (r.err > worst.err) worst = r
  }
  return worst
}

function checkAll(cases: Json[], run: (input: Json) => Json, adapt: (out: Json) => Json = (o) => o): number {
  let worst = 0
  for (const c of cases) {
    const out = run(c.input)
    const { err, where } = compare(adapt(out), c.expected)
    expect(err, `${JSON.stringify(c.input).slice(0, 200)} at ${where}`).toBeLessThanOrEqual(TOL)
    worst = Math.max(worst, err)
  }
  return worst
}

describe('twoProportionTest against mpmath (relative ≤ 1e-12 on every field)', () => {
  const fx = load('two-proportion-test.json')

  it('reproduces seed 000: 1000/150 vs 1000/180 gives p = 0.0707214834093… and CI ≈ [-0.00251, 0.06251]', () => {
    const r = twoProportionTest(fx.seed000.input)
    expect(r.reason).toBeNull()
    expect(r.pValue!.toPrecision(12)).toBe('0.0707214834093')
    expect(r.absolute.ci![0]).toBeCloseTo(-0.00251, 5)
    expect(r.absolute.ci![1]).toBeCloseTo(0.06251, 5)
    // and agrees with seed 000's own scipy arithmetic to a few ulp
    expect(Math.abs(r.pValue! - fx.seed000.scipy.pValue)).toBeLessThan(1e-16)
    expect(Math.abs(r.z! - fx.seed000.scipy.z)).toBeLessThan(1e-14)
    expect(Math.abs(r.absolute.ci![0] - fx.seed000.scipy.ci[0])).toBeLessThan(1e-16)
    expect(Math.abs(r.absolute.ci![1] - fx.seed000.scipy.ci[1])).toBeLessThan(1e-16)
    expect(r.relative.estimate).toBeCloseTo(0.2, 14)
  })

  it(`matches ${fx.cases.length} cases: z, p, rates, absolute and relative estimate/SE/CI`, () => {
    expect(checkAll(fx.cases, twoProportionTest)).toBeLessThanOrEqual(TOL)
  })
})

describe('welchTTest against mpmath (relative ≤ 1e-12 on every field)', () => {
  const fx = load('welch-t-test.json')

  it(`matches ${fx.cases.length} cases incl. means of 1e7 with SD 0.5 (naive variance loses 12 digits there)`, () => {
    expect(checkAll(fx.cases, welchTTest)).toBeLessThanOrEqual(TOL)
  })
})

describe('sample size and power against mpmath (relative ≤ 1e-12)', () => {
  const fx = load('sample-size.json')

  it('requiredSampleSize: raw value and its ceiling', () => {
    expect(checkAll(fx.requiredSampleSize, requiredSampleSize)).toBeLessThanOrEqual(TOL)
  })

  it('proportionPower (two-sided)', () => {
    expect(checkAll(fx.proportionPower, proportionPower)).toBeLessThanOrEqual(TOL)
  })

  it('requiredSampleSizeMean and meanPower', () => {
    expect(checkAll(fx.requiredSampleSizeMean, requiredSampleSizeMean)).toBeLessThanOrEqual(TOL)
    expect(checkAll(fx.meanPower, meanPower)).toBeLessThanOrEqual(TOL)
  })
})

describe('sampleRatioMismatch against exact rationals + mpmath (relative ≤ 1e-12)', () => {
  const fx = load('sample-ratio-mismatch.json')

  it(`matches ${fx.cases.length} cases: χ², df, p, expected counts and the p < 0.001 flag`, () => {
    expect(checkAll(fx.cases, (i) => sampleRatioMismatch(i.observed, i.weights))).toBeLessThanOrEqual(TOL)
  })
})

describe('holm and benjaminiHochberg against exact rationals (relative ≤ 1e-12)', () => {
  const fx = load('multiple-testing.json')

  it('adjusts in input order, monotone in sorted order, capped at 1', () => {
    const worst = checkAll(
      fx.cases.map((c: Json) => ({ input: c.input, expected: c.expected })),
      (ps) => ({ holm: holm(ps).adjusted, benjaminiHochberg: benjaminiHochberg(ps).adjusted }),
    )
    expect(worst).toBeLessThanOrEqual(TOL)
    for (const c of fx.cases) {
      const ps: number[] = c.input
      const order = ps.map((_, i) => i).sort((a, b) => ps[a]! - ps[b]!)
      for (const adj of [holm(ps).adjusted!, benjaminiHochberg(ps).adjusted!]) {
        for (let k = 1; k < order.length; k++) expect(adj[order[k]!]!).toBeGreaterThanOrEqual(adj[order[k - 1]!]!)
        for (let k = 0; k < ps.length; k++) {
          expect(adj[k]!).toBeLessThanOrEqual(1)
          expect(adj[k]!).toBeGreaterThanOrEqual(ps[k]!)
        }
      }
    }
  })
})

describe('sequentialTest against mpmath (relative ≤ 1e-12) and its own consistency', () => {
  const fx = load('sequential-test.json')

  it(`matches ${fx.cases.length} cases (proportion and mean): estimate, SE, ρ, confidence sequence, p-value`, () => {
    expect(checkAll(fx.cases, (i) => sequentialTest(i as SequentialTestInput))).toBeLessThanOrEqual(TOL)
  })

  it('has p ≤ α exactly when the sequence excludes 0, p in [0, 1], and p monotone in |effect|', () => {
    let previous = 2
    for (let xt = 1500; xt <= 1800; xt += 5) {
      const r = sequentialTest({ kind: 'proportion', control: { n: 10000, x: 1500 }, treatment: { n: 10000, x: xt } })
      const [lo, hi] = r.ci!
      expect(r.pValue! >= 0 && r.pValue! <= 1).toBe(true)
      expect(r.pValue! <= 0.05).toBe(lo > 0 || hi < 0)
      expect(r.pValue!).toBeLessThanOrEqual(previous)
      previous = r.pValue!
    }
    expect(previous).toBeLessThan(1e-6)
  })

  it('is wider than the fixed-horizon interval at every N (the price of peeking)', () => {
    for (const n of [200, 1000, 5000, 50000, 1_000_000]) {
      const groups = { control: { n, x: n / 10 }, treatment: { n, x: n / 8 } }
      const seq = sequentialTest({ kind: 'proportion', ...groups })
      const fixed = twoProportionTest(groups)
      expect(seq.ci![1] - seq.ci![0]).toBeGreaterThan(fixed.absolute.ci![1] - fixed.absolute.ci![0])
    }
  })
})

describe('Bayesian results against 50-digit mpmath sums (relative ≤ 1e-12)', () => {
  const fx = load('bayesian.json')

  it(`chanceToBeatControlBinomial and expectedLossBinomial on ${fx.binomial.length} cases up to n = 1e6`, () => {
    const worst = checkAll(fx.binomial, (i) => ({ ...chanceToBeatControlBinomial(i), ...expectedLossBinomial(i) }))
    expect(worst).toBeLessThanOrEqual(TOL)
  })

  it('with other integer priors', () => {
    expect(checkAll(fx.binomialPriors, chanceToBeatControlBinomial)).toBeLessThanOrEqual(TOL)
  })

  it('mean metric (normal approximation)', () => {
    expect(
      checkAll(fx.mean, (i) => ({ ...chanceToBeatControlMean(i), ...expectedLossMean(i) })),
    ).toBeLessThanOrEqual(TOL)
  })

  it('costs well under 1 ms at n = 1e6, x = 1e5 once JIT-compiled (measured ~0.1 ms for both)', () => {
    const input = { control: { n: 1_000_000, x: 100_000 }, treatment: { n: 1_000_000, x: 100_500 } }
    for (let i = 0; i < 50; i++) {
      chanceToBeatControlBinomial(input) // warm up
      expectedLossBinomial(input)
    }
    // best of 10 batches, so a busy machine does not make the bound flaky
    let best = Infinity
    for (let batch = 0; batch < 10; batch++) {
      const t0 = performance.now()
      for (let i = 0; i < 10; i++) {
        chanceToBeatControlBinomial(input)
        expectedLossBinomial(input)
      }
      best = Math.min(best, (performance.now() - t0) / 10)
    }
    expect(best).toBeLessThan(1)
  })
})
