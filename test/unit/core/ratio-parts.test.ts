import { describe, expect, it } from 'vitest'
import type { Metric } from '../../../src/core/experiment'
import { ratioDelta, ratioParts } from '../../../src/core/ratio-parts'
import { parseRatioToken, ratioToken } from '../../../src/store/ratio-writes'

const revenue: Metric = { key: 'revenue', type: 'mean', event: 'purchase', role: 'secondary' }
const bought: Metric = { key: 'bought', type: 'binomial', event: 'purchase', role: 'secondary' }

describe('ratio metric parts', () => {
  it("should resolve a mean metric's key to its summed event and a binomial metric's or a plain name to counted events", () => {
    const aov: Metric = { key: 'aov', type: 'ratio', role: 'primary', numerator: 'revenue', denominator: 'bought' }
    expect(ratioParts(aov, [aov, revenue, bought])).toEqual({ numerator: { event: 'purchase', aggregate: 'sum' }, denominator: { event: 'purchase', aggregate: 'count' } })
    const ctr: Metric = { key: 'ctr', type: 'ratio', role: 'primary', numerator: 'click', denominator: { event: 'pageview', aggregate: 'count' } }
    expect(ratioParts(ctr, [ctr])).toEqual({ numerator: { event: 'click', aggregate: 'count' }, denominator: { event: 'pageview', aggregate: 'count' } })
    expect(ratioParts(revenue, [revenue])).toBeNull()
  })

  it('should add the value to a summed side, 1 to a counted side, and nothing to a side of another event', () => {
    const parts = { numerator: { event: 'purchase', aggregate: 'sum' as const }, denominator: { event: 'purchase', aggregate: 'count' as const } }
    expect(ratioDelta(parts, 'purchase', 12.5)).toEqual([12.5, 1])
    expect(ratioDelta(parts, 'pageview', 3)).toBeNull()
    const ctr = { numerator: { event: 'click', aggregate: 'count' as const }, denominator: { event: 'pageview', aggregate: 'count' as const } }
    expect(ratioDelta(ctr, 'pageview', 0)).toEqual([0, 1])
    expect(ratioDelta(ctr, 'click', 0)).toEqual([1, 0])
  })

  it('should name a ratio event for the stores in a token that parses back to the same doubles', () => {
    for (const [dx, dy] of [[0.1 + 0.2, 1], [1e-7, 0], [123456789.125, 3], [-2.5e11, 1]] as const) {
      expect(parseRatioToken(ratioToken('aov', dx, dy))).toEqual({ key: 'aov', dx, dy })
    }
    expect(parseRatioToken('revenue')).toBeNull()
    expect(parseRatioToken('aov|x|1')).toBeNull()
  })
})
