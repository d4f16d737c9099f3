import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ddAdd } from '../../../src/stats/internal/dd-add'
import { ddDiv } from '../../../src/stats/internal/dd-div'
import { differenceOfRatios } from '../../../src/stats/internal/difference-of-ratios'

/** The array composition differenceOfRatios was written as (and must equal bit for bit). */
function reference(a: number, n: number, b: number, m: number): number {
  const q1 = ddDiv([a, 0], [n, 0])
  const q2 = ddDiv([b, 0], [m, 0])
  const d = ddAdd(q1, [-q2[0], -q2[1]])
  return d[0] + d[1]
}

const SPECIAL = [0, -0, 1, -1, 2, 3, 7, 10, 0.1, 1e-300, 5e-324, 1e300, 2 ** 996, 2 ** 1000, -(2 ** 1000), Number.MAX_VALUE, Infinity, -Infinity, NaN, 150, 180, 1000, 1e15 + 1]

describe('differenceOfRatios', () => {
  it('should give 0.2 for 3/10 − 1/10', () => {
    expect(differenceOfRatios(3, 10, 1, 10)).toBe(0.2)
  })

  it('should equal the ddDiv/ddAdd array composition bit for bit on special values', () => {
    for (const a of SPECIAL) for (const n of SPECIAL) for (const b of [0, 1, 150, 1e300, NaN]) for (const m of [1, 1000, 0, 2 ** 1000]) {
      expect(Object.is(differenceOfRatios(a, n, b, m), reference(a, n, b, m)), `${a}/${n} − ${b}/${m}`).toBe(true)
    }
  })

  it('should answer a repeated call as a fresh one, telling 0 from −0', () => {
    for (const [a, n, b, m] of [[0, 1, 0, 1], [-0, 1, 0, 1], [0, 1, -0, 1], [0, -0, 1, 1], [3, 10, 1, 10], [3, 10, 1, 10], [NaN, 1, 1, 1], [NaN, 1, 1, 1]] as const) {
      expect(Object.is(differenceOfRatios(a, n, b, m), reference(a, n, b, m)), `${a}/${n} − ${b}/${m}`).toBe(true)
      expect(Object.is(differenceOfRatios(a, n, b, m), reference(a, n, b, m)), `again ${a}/${n} − ${b}/${m}`).toBe(true)
    }
  })

  it('should equal the array composition bit for bit on any doubles and on counts', () => {
    const count = fc.integer({ min: 0, max: 2 ** 40 })
    fc.assert(fc.property(fc.double(), fc.double(), fc.double(), fc.double(), (a, n, b, m) => Object.is(differenceOfRatios(a, n, b, m), reference(a, n, b, m))), { numRuns: 20000 })
    fc.assert(fc.property(count, count, count, count, (a, n, b, m) => Object.is(differenceOfRatios(a, n, b, m), reference(a, n, b, m))), { numRuns: 20000 })
  })
})
