import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ddAdd } from '../../../src/stats/internal/dd-add'
import { logBetaDd } from '../../../src/stats/internal/log-beta-dd'
import { logGammaDd } from '../../../src/stats/internal/log-gamma-dd'
import { logGammaRatioDd } from '../../../src/stats/internal/log-gamma-ratio-dd'

/** logBetaDd as written before it remembered answers. */
function reference(a: number, b: number): [number, number] {
  const ratio = logGammaRatioDd(Math.max(a, b), Math.min(a, b))
  return ddAdd(logGammaDd([Math.min(a, b), 0]), [-ratio[0], -ratio[1]])
}

const same = (x: readonly number[], y: readonly number[]) => Object.is(x[0], y[0]) && Object.is(x[1], y[1])

describe('logBetaDd', () => {
  it('should give ln π for B(½, ½)', () => {
    expect(logBetaDd(0.5, 0.5)[0]).toBeCloseTo(Math.log(Math.PI), 15)
  })

  it('should answer a repeated or mirrored call with the bits of a fresh one, telling 0 from −0', () => {
    for (const [a, b] of [[0, 1], [-0, 1], [0, 1], [1, -0], [5, 7], [7, 5], [5, 7], [NaN, 2], [NaN, 2], [1e5, 0.5], [0.5, 1e5], [Infinity, 3]] as const) {
      expect(same(logBetaDd(a, b), reference(a, b)), `${a}, ${b}`).toBe(true)
      expect(same(logBetaDd(a, b), reference(a, b)), `again ${a}, ${b}`).toBe(true)
    }
  })

  it('should equal the fresh computation bit for bit on random arguments drawn from a small set, so that most calls are remembered', () => {
    const arg = fc.constantFrom(0.5, 1, 2, 14.5, 15, 16, 151, 1e4 + 0.5, 94_321, 5e18)
    fc.assert(fc.property(arg, arg, (a, b) => same(logBetaDd(a, b), reference(a, b))), { numRuns: 5000 })
    fc.assert(fc.property(fc.double({ min: 1e-300, max: 1e20, noNaN: true }), fc.double({ min: 1e-300, max: 1e20, noNaN: true }), (a, b) => same(logBetaDd(a, b), reference(a, b))), { numRuns: 5000 })
  })
})
