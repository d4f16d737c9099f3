import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { proportionSeriesPoint, sequentialTest, twoProportionTest } from '../../../src/stats'
import type { BinomialGroup } from '../../../src/stats'

/** What the daily series showed before: the two tests' own fields. */
function reference(control: BinomialGroup, treatment: BinomialGroup, alpha: number, nStar: number) {
  const fixed = twoProportionTest({ control, treatment, alpha })
  const seq = sequentialTest({ kind: 'proportion', control, treatment, alpha, nStar })
  return { pValue: fixed.pValue, ci: fixed.absolute.ci, sequentialPValue: seq.pValue, sequentialCi: seq.ci }
}

describe('proportionSeriesPoint', () => {
  it('should give the fixed-horizon p-value of twoProportionTest for 150/1000 vs 180/1000', () => {
    expect(proportionSeriesPoint({ n: 1000, x: 150 }, { n: 1000, x: 180 }, 0.05, 5000).pValue).toBeCloseTo(0.0707214834093, 12)
  })

  it('should equal twoProportionTest and sequentialTest bit for bit on degenerate and extreme groups', () => {
    const groups: BinomialGroup[] = [
      { n: 0, x: 0 }, { n: 1, x: 0 }, { n: 1, x: 1 }, { n: 10, x: 0 }, { n: 10, x: 10 }, { n: 10, x: 3 }, { n: 1000, x: 150 },
      { n: 2 ** 53 - 1, x: 2 ** 52 }, { n: 5, x: 6 }, { n: -1, x: 0 }, { n: 2.5, x: 1 }, { n: 10, x: 1.5 }, { n: NaN, x: 0 },
    ]
    for (const c of groups) for (const t of groups) for (const [alpha, nStar] of [[0.05, 5000], [0.01, 1], [0, 5000], [1.5, 5000], [0.05, 0], [0.05, 5e-324], [0.05, Infinity], [NaN, NaN]]) {
      expect(proportionSeriesPoint(c, t, alpha!, nStar!), JSON.stringify([c, t, alpha, nStar])).toEqual(reference(c, t, alpha!, nStar!))
    }
  })

  it('should equal the two tests bit for bit on random counts and settings, asked in any order', () => {
    const group = fc.integer({ min: 0, max: 2 ** 40 }).chain((n) => fc.record({ n: fc.constant(n), x: fc.integer({ min: 0, max: n }) }))
    const alpha = fc.double({ min: 1e-12, max: 0.999, noNaN: true })
    const nStar = fc.double({ min: 1e-3, max: 1e12, noNaN: true })
    fc.assert(
      fc.property(group, group, alpha, nStar, (c, t, a, s) => {
        const got = proportionSeriesPoint(c, t, a, s)
        const want = reference(c, t, a, s)
        return [got.pValue, ...(got.ci ?? [null]), got.sequentialPValue, ...(got.sequentialCi ?? [null])].every((v, i) =>
          Object.is(v, [want.pValue, ...(want.ci ?? [null]), want.sequentialPValue, ...(want.sequentialCi ?? [null])][i]),
        )
      }),
      { numRuns: 20000 },
    )
  })
})
