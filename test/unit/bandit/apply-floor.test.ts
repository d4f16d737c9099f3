import { describe, expect, it } from 'vitest'
import { applyFloor } from '../../../src/bandit/apply-floor'
import { bestArms } from '../../../src/bandit/best-arms'

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)

describe('applyFloor', () => {
  it('keeps rescaling until no arm drops below the floor', () => {
    // Naive "raise arm 3 to 0.1 and renormalise" leaves arm 1 at 0.0909; pinning both is correct.
    const w = applyFloor([0.7, 0.101, 0.199, 0], 0.1)
    expect(w[0]).toBeCloseTo((0.7 * 0.8) / 0.899, 14)
    expect(w[1]).toBeCloseTo(0.1, 14)
    expect(w[2]).toBeCloseTo((0.199 * 0.8) / 0.899, 14)
    expect(w[3]).toBeCloseTo(0.1, 14)
    expect(Math.abs(sum(w) - 1)).toBeLessThan(1e-12)
  })

  it('leaves weights already above the floor unchanged (after normalising)', () => {
    expect(applyFloor([3, 1], 0.01)).toEqual([0.75, 0.25])
  })

  it('gives equal weights when floor·k = 1', () => {
    expect(applyFloor([1, 0, 0, 0], 0.25)).toEqual([0.25, 0.25, 0.25, 0.25])
  })

  it('throws a RangeError when floor·k > 1 or weights are invalid', () => {
    expect(() => applyFloor([0.5, 0.5], 0.6)).toThrowError(/floor·k ≤ 1/)
    expect(() => applyFloor([0, 0], 0.1)).toThrowError(/positive sum/)
    expect(() => applyFloor([0.5, Number.NaN], 0.1)).toThrowError(RangeError)
    expect(() => applyFloor([], 0.1)).toThrowError(RangeError)
  })
})

describe('bestArms', () => {
  it('returns every index that ties for the maximum', () => {
    expect(bestArms([0.2, 0.5, 0.5])).toEqual([1, 2])
    expect(bestArms([0.1 + 0.2, 0.3])).toEqual([0, 1])
    expect(bestArms([1, 0])).toEqual([0])
  })
})
