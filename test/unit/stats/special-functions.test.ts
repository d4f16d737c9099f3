import { describe, expect, it } from 'vitest'
import {
  chiSquareSf,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
  regularizedIncompleteBeta,
  regularizedIncompleteGamma,
  studentTPdf,
  studentTQuantile,
  studentTSf,
} from '../../../src/stats'
import chiSquareSfJson from '../../fixtures/stats/chi-square-sf.json'
import normalCdfJson from '../../fixtures/stats/normal-cdf.json'
import normalQuantileJson from '../../fixtures/stats/normal-quantile.json'
import studentTQuantileJson from '../../fixtures/stats/student-t-quantile.json'
import studentTSfJson from '../../fixtures/stats/student-t-sf.json'

interface Table {
  reference: string
  columns: string[]
  rows: number[][]
}
// Fixtures written by tools/fixtures/stats_fixtures.py (mpmath, 50 digits); rows end with the reference.
const fixtures: Record<string, Table> = {
  'normal-cdf.json': normalCdfJson,
  'normal-quantile.json': normalQuantileJson,
  'student-t-sf.json': studentTSfJson,
  'student-t-quantile.json': studentTQuantileJson,
  'chi-square-sf.json': chiSquareSfJson,
}
const load = (name: string): Table => fixtures[name]!

/** Largest relative error |got − ref|/|ref| over the rows (ref = 0 compares absolutely). */
function worst(rows: number[][], fn: (row: number[]) => number): { err: number; row: number[] } {
  let err = 0
  let at: number[] = []
  for (const row of rows) {
    const ref = row[row.length - 1]!
    const got = fn(row)
    const e = ref === 0 ? Math.abs(got) : Math.abs(got - ref) / Math.abs(ref)
    if (!(e <= err)) {
      err = e
      at = row
    }
  }
  return { err, row: at }
}

describe('normalCdf (Cody / R pnorm) against mpmath', () => {
  const table = load('normal-cdf.json')

  it('has relative error ≤ 1e-15 on a 0.01 grid plus 400 random points over [-37.5, 8] (measured 6.6e-16)', () => {
    expect(table.rows.length).toBeGreaterThan(4900)
    const { err, row } = worst(table.rows, ([x]) => normalCdf(x!))
    expect(err, `worst at x = ${row[0]}`).toBeLessThanOrEqual(1e-15)
  })

  it('gives the upper tail with the same accuracy: normalSf(−x) = Φ(x) (relative ≤ 1e-15)', () => {
    const { err } = worst(table.rows, ([x]) => normalSf(-x!))
    expect(err).toBeLessThanOrEqual(1e-15)
  })

  it('is monotone on the grid and sensible beyond it', () => {
    for (let i = 1; i < table.rows.length; i++) {
      expect(normalCdf(table.rows[i]![0]!)).toBeGreaterThanOrEqual(normalCdf(table.rows[i - 1]![0]!))
    }
    expect(normalCdf(-37.52)).toBe(0) // true value 4e-308·… rounds into the subnormals; R returns 0 too
    expect(normalCdf(-1e300)).toBe(0)
    expect(normalCdf(8.3)).toBe(1)
    expect(normalCdf(Infinity)).toBe(1)
    expect(normalCdf(-Infinity)).toBe(0)
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(Number.NaN)).toBeNaN()
  })

  it('keeps two-sided p-values small: 2Φ(−|z|) at z = 30 is 9.8e-198, not 0', () => {
    expect(Math.abs(2 * normalSf(30) / 9.813427854296374e-198 - 1)).toBeLessThan(1e-15)
  })

  it('has a density consistent with the CDF (φ(x) ≈ (Φ(x+h) − Φ(x−h))/2h)', () => {
    for (const x of [-5, -1, 0, 0.3, 2]) {
      const h = 1e-5
      expect(normalPdf(x)).toBeCloseTo((normalCdf(x + h) - normalCdf(x - h)) / (2 * h), 9)
    }
  })
})

describe('normalQuantile (Wichura AS 241) against mpmath', () => {
  const table = load('normal-quantile.json')

  it('has relative error ≤ 1e-15 for p in [1e-300, 1 − 2⁻⁵³] (log-spaced, uniform and near-1 points; measured 7.5e-16, no Newton refinement needed)', () => {
    expect(table.rows.length).toBeGreaterThan(3400)
    const { err, row } = worst(table.rows, ([p]) => normalQuantile(p!))
    expect(err, `worst at p = ${row[0]}`).toBeLessThanOrEqual(1e-15)
  })

  it('returns ±∞ at the ends, NaN outside [0, 1], 0 at ½', () => {
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
    expect(normalQuantile(0.5)).toBe(0)
    expect(normalQuantile(-0.1)).toBeNaN()
    expect(normalQuantile(1.1)).toBeNaN()
    expect(normalQuantile(Number.NaN)).toBeNaN()
  })

  it('inverts normalCdf across 300 decades, within the problem\'s condition number z² + 1', () => {
    // Rounding z to a double alone moves Φ(z) by up to (z² + 1)·2⁻⁵³ relative (3e-13 at z = −37).
    for (let e = -300; e < 0; e += 7) {
      const p = 10 ** e
      const z = normalQuantile(p)
      expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan((z * z + 1) * 4e-16)
    }
  })
})

describe('studentTSf against mpmath', () => {
  const table = load('student-t-sf.json')

  it('has relative error ≤ 1e-13 down to 1e-300 for df in {0.5 … 1e19} incl. 3.7, 57.2, 1e4, 123456.78 (measured 4.1e-15)', () => {
    expect(table.rows.length).toBeGreaterThan(400)
    expect(Math.min(...table.rows.map((r) => r[2]!))).toBeLessThan(1e-299)
    const { err, row } = worst(table.rows, ([t, df]) => studentTSf(t!, df!))
    expect(err, `worst at t = ${row[0]}, df = ${row[1]}`).toBeLessThanOrEqual(1e-13)
  })

  it('is ½ at 0, symmetric, and the normal at df = ∞', () => {
    expect(studentTSf(0, 5)).toBe(0.5)
    expect(studentTSf(-2, 7) + studentTSf(2, 7)).toBeCloseTo(1, 15)
    expect(studentTSf(3, Infinity)).toBe(normalSf(3))
    expect(studentTSf(Infinity, 3)).toBe(0)
    expect(studentTSf(-Infinity, 3)).toBe(1)
    expect(studentTSf(1, 0)).toBeNaN()
    expect(studentTSf(Number.NaN, 3)).toBeNaN()
  })

  it('matches the closed form for df = 1 (Cauchy) and df = 2 far into the tail', () => {
    for (const t of [0.5, 3, 1e5, 1e100, 1e250]) {
      const cauchy = Math.atan2(1, t) / Math.PI
      expect(Math.abs(studentTSf(t, 1) - cauchy) / cauchy).toBeLessThan(1e-14)
      const df2 = 0.5 * (1 - t / Math.sqrt(2 + t * t))
      if (t < 1e3) expect(Math.abs(studentTSf(t, 2) - df2) / df2).toBeLessThan(1e-12)
    }
  })

  it('has a density that integrates to the tail (pdf = −d sf/dt)', () => {
    for (const [t, df] of [[1, 3.7], [2.5, 57.2], [0.3, 1e4]] as const) {
      const h = 1e-5
      expect(studentTPdf(t, df)).toBeCloseTo((studentTSf(t - h, df) - studentTSf(t + h, df)) / (2 * h), 9)
    }
  })
})

describe('studentTQuantile against mpmath', () => {
  const table = load('student-t-quantile.json')

  it('has relative error ≤ 1e-12 for p from 1e-300 to 1 − 2⁻⁵³ and df from 0.5 to 1e19 (measured 2.1e-15)', () => {
    expect(table.rows.length).toBeGreaterThan(350)
    const { err, row } = worst(table.rows, ([p, df]) => studentTQuantile(p!, df!))
    expect(err, `worst at p = ${row[0]}, df = ${row[1]}`).toBeLessThanOrEqual(1e-12)
  })

  it('handles the edges', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0)
    expect(studentTQuantile(0, 3)).toBe(-Infinity)
    expect(studentTQuantile(1, 3)).toBe(Infinity)
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975))
    expect(studentTQuantile(1.5, 3)).toBeNaN()
    expect(studentTQuantile(0.5, -1)).toBeNaN()
  })
})

describe('chiSquareSf against mpmath', () => {
  const table = load('chi-square-sf.json')

  it('has relative error ≤ 1e-13 down to 1e-300 for k = 1…100 (and 0.5, 2.5, 150 … 1000) (measured 2.4e-15)', () => {
    expect(table.rows.length).toBeGreaterThan(1500)
    expect(Math.min(...table.rows.map((r) => r[2]!))).toBeLessThan(1e-299)
    const { err, row } = worst(table.rows, ([x, k]) => chiSquareSf(x!, k!))
    expect(err, `worst at x = ${row[0]}, k = ${row[1]}`).toBeLessThanOrEqual(1e-13)
  })

  it('is 1 at x ≤ 0 and NaN for k ≤ 0', () => {
    expect(chiSquareSf(0, 3)).toBe(1)
    expect(chiSquareSf(-1, 3)).toBe(1)
    expect(chiSquareSf(Infinity, 3)).toBe(0)
    expect(chiSquareSf(1, 0)).toBeNaN()
  })
})

describe('incomplete gamma and beta helpers', () => {
  it('return both tails that add to 1, each small one computed directly', () => {
    const g = regularizedIncompleteGamma(0.5, 2)
    expect(g.lower + g.upper).toBeCloseTo(1, 15)
    expect(Math.abs(g.upper / 0.04550026389635842 - 1)).toBeLessThan(1e-14) // erfc(√2)
    const b = regularizedIncompleteBeta(0.5, 2, 3)
    expect(b.lower).toBeCloseTo(0.6875, 15)
    expect(b.upper).toBeCloseTo(0.3125, 15)
    // far tail of the upper incomplete gamma: Q(1, 700) = e^-700
    expect(Math.abs(regularizedIncompleteGamma(1, 700).upper / Math.exp(-700) - 1)).toBeLessThan(1e-15)
  })

  it('logGamma is accurate where lgamma differences cancel', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-18)
    expect(logGamma(0.5)).toBe(0.5723649429247001)
    expect(logGamma(171)).toBe(706.5730622457874)
    expect(logGamma(0)).toBeNaN()
  })
})
