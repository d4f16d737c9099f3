import { describe, expect, it } from 'vitest'
import { chiSquareIndependence, simpsonCheck } from '../../../src/stats'
import chiJson from '../../fixtures/stats/chi-square-independence.json'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fx: any = chiJson // tools/fixtures/segment_fixtures.py
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b))

describe('chiSquareIndependence against exact rationals and mpmath (relative ≤ 1e-12)', () => {
  it('should match χ², df, p and the p < 0.001 flag on every segment × variant table', () => {
    expect(fx.cases.some((c: any) => c.expected.flagged)).toBe(true)
    expect(fx.cases.some((c: any) => !c.expected.flagged)).toBe(true)
    for (const c of fx.cases) {
      const r = chiSquareIndependence(c.input)
      expect(r.reason).toBeNull()
      expect(r.df).toBe(c.expected.df)
      expect(r.flagged).toBe(c.expected.flagged)
      expect(rel(r.chiSquare!, c.expected.chiSquare), JSON.stringify(c.input).slice(0, 80)).toBeLessThanOrEqual(1e-12)
      expect(rel(r.pValue!, c.expected.pValue), JSON.stringify(c.input).slice(0, 80)).toBeLessThanOrEqual(1e-12)
    }
  })

  it('should answer a reason, not NaN, for a table with one non-empty row or bad counts', () => {
    expect(chiSquareIndependence([[5, 5], [0, 0]]).reason).toMatch(/fewer than two/)
    expect(chiSquareIndependence([[1.5, 2], [3, 4]]).reason).toMatch(/non-negative integers/)
    expect(chiSquareIndependence([]).pValue).toBeNull()
  })
})

describe('simpsonCheck', () => {
  const worse = [
    { segment: 'US', lift: -0.01, n: 900 },
    { segment: 'DE', lift: -0.03, n: 800 },
    { segment: 'FR', lift: 0.5, n: 20 }, // too few units to be judged
  ]

  it('should flag an overall lift whose sign is opposite to every segment with enough units, and say so in words', () => {
    const r = simpsonCheck(0.02, worse, 100, 'country')
    expect(r.paradox).toBe(true)
    expect(r.judged).toEqual(['US', 'DE'])
    expect(r.text).toContain('better overall but worse in every country with at least 100 units (US, DE)')
  })

  it('should stay silent when the segments agree with the overall lift, disagree among themselves, or fewer than two are judged', () => {
    expect(simpsonCheck(-0.02, worse).paradox).toBe(false)
    expect(simpsonCheck(0.02, [...worse, { segment: 'JP', lift: 0.01, n: 500 }]).paradox).toBe(false)
    expect(simpsonCheck(0.02, worse.slice(0, 1)).paradox).toBe(false)
    expect(simpsonCheck(null, worse)).toEqual({ paradox: false, judged: ['US', 'DE'], text: null })
  })
})
