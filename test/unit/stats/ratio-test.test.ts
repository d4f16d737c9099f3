import { describe, expect, it } from 'vitest'
import { ratioTest, ratioVariance, sequentialTest } from '../../../src/stats'
import type { SequentialTestInput } from '../../../src/stats'
import ratioJson from '../../fixtures/stats/ratio-test.json'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any
// Written by tools/fixtures/ratio_fixtures.py (mpmath, 50 digits, exact rational (co)variances).
const fx: Json = ratioJson

/** Every output must be within this relative error of the 50-digit reference. */
const TOL = 1e-12

/** The largest relative error between `actual` and each number in `expected`, and where. */
function worst(actual: Json, expected: Json, path = ''): { err: number; where: string } {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return { err: Infinity, where: `${path} (got ${actual})` }
    return { err: expected === actual ? 0 : Math.abs(actual - expected) / Math.abs(expected), where: path }
  }
  let w = { err: 0, where: '' }
  for (const key of Object.keys(expected)) {
    const r = worst(actual?.[key], expected[key], `${path}.${key}`)
    if (r.err > w.err) w = r
  }
  return w
}

describe('ratio metrics by the delta method against mpmath (relative ≤ 1e-12 on every field)', () => {
  it('should match every ratioTest case: ratios, per-unit variances, z, p, absolute and relative CIs, chance and loss', () => {
    expect(fx.ratioTest.length).toBeGreaterThan(20)
    for (const c of fx.ratioTest) {
      const r = ratioTest(c.input)
      const { err, where } = worst(r, c.expected)
      expect(err, `${JSON.stringify(c.input).slice(0, 160)} at ${where}`).toBeLessThanOrEqual(TOL)
    }
  })

  it('should match the always-valid sequential test on ratio metrics', () => {
    for (const c of fx.sequential) {
      const r = sequentialTest(c.input as SequentialTestInput)
      const { err, where } = worst(r, c.expected)
      expect(err, `${JSON.stringify(c.input).slice(0, 160)} at ${where}`).toBeLessThanOrEqual(TOL)
    }
  })

  it('should give the ratio of sums and zero variance when every unit has x = y', () => {
    expect(ratioVariance({ n: 3, sumX: 6, sumY: 6, sumXSq: 14, sumYSq: 14, sumXY: 14 })).toEqual({ ratio: 1, variance: 0, unitVariance: 0 })
  })

  it('should answer null fields with a reason, never NaN, when a ratio is undefined', () => {
    const empty = { n: 10, sumX: 0, sumY: 0, sumXSq: 0, sumYSq: 0, sumXY: 0 }
    const some = { n: 10, sumX: 5, sumY: 10, sumXSq: 5, sumYSq: 14, sumXY: 7 }
    const r = ratioTest({ control: empty, treatment: some })
    expect(r.reason).toMatch(/no denominator/)
    expect(r.pValue).toBeNull()
    expect(ratioTest({ control: { ...some, n: 0 }, treatment: some }).reason).toBe('n = 0 in a group')
    expect(ratioTest({ control: { ...some, sumXSq: -1 }, treatment: some }).reason).toMatch(/sums of squares/)
    const zero = ratioTest({ control: { ...some, sumX: 0, sumXSq: 0, sumXY: 0 }, treatment: some })
    expect(zero.reason).toMatch(/control ratio is zero/)
    expect(zero.relative.estimate).toBeNull()
    expect(zero.pValue).not.toBeNull()
    expect(JSON.parse(JSON.stringify(ratioTest({ control: some, treatment: { ...some, sumX: 1e300, sumXSq: 1e300 } }))).reason).not.toBeNull()
  })
})
