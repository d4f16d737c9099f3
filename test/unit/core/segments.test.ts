import { describe, expect, it } from 'vitest'
import { OTHER, parseSegments, segmentField, segmentValues, UNKNOWN } from '../../../src/core/segments'

describe('segment values', () => {
  it('should read country (upper-case), device and declared attributes, with absent ones unknown', () => {
    expect(segmentValues(['plan', 'tier'], { country: 'de', device: 'mobile', attributes: { plan: 'pro', other: 'x' } })).toEqual({ country: 'DE', device: 'mobile', plan: 'pro', tier: UNKNOWN })
    expect(segmentValues(undefined, { device: 'desktop', attributes: {} })).toEqual({ country: UNKNOWN, device: 'desktop' })
  })

  it('should count values that cannot be part of a field name, or are not text, as (other)', () => {
    const v = segmentValues(['a', 'b', 'c'], { device: 'tablet', attributes: { a: 'x|y', b: 'z'.repeat(65), c: 42 } })
    expect(v).toEqual({ country: UNKNOWN, device: 'tablet', a: OTHER, b: OTHER, c: '42' })
    expect(segmentValues(['a'], { device: 'tablet', attributes: { a: { toString: () => 'p' } } }).a).toBe(UNKNOWN)
  })

  it('should not read an inherited property as an attribute', () => {
    expect(segmentValues(['constructor'], { device: 'mobile', attributes: {} }).constructor).toBe(UNKNOWN)
  })
})

describe('segment fields', () => {
  it('should mirror per-unit sums and leave per-day and exposure fields alone', () => {
    expect(segmentField('n|1|A|buy', 'country', 'DE')).toBe('gn|1|country|DE|A|buy')
    expect(segmentField('p|3|B|aov', 'device', 'mobile')).toBe('gp|3|device|mobile|B|aov')
    expect(segmentField('nd|1|2026-11-01|A|buy', 'country', 'DE')).toBeNull()
    expect(segmentField('x|1|A', 'country', 'DE')).toBeNull()
  })

  it('should parse one epoch, summing fields and skipping other epochs and unknown kinds', () => {
    const s = parseSegments({ 'gx|1|country|DE|A': 3, 'gx|2|country|DE|A': 100, 'gn|1|country|DE|A|buy': 2, 'gs|1|country|DE|A|rev': 7.5, 'gz|1|country|DE|A': 9, 'x|1|A': 3 }, 1)
    expect(s).toEqual({ country: { DE: { A: { n: 3, metrics: { buy: { converters: 2 }, rev: { sum: 7.5 } } } } } })
  })

  it('should keep the 49 values with the most units and fold the rest, counts intact, into (other)', () => {
    const raw: Record<string, number> = {}
    for (let i = 0; i < 120; i++) {
      raw[`gx|1|plan|p${i}|A`] = i + 1
      raw[`gn|1|plan|p${i}|A|buy`] = 1
    }
    raw[`gx|1|plan|${OTHER}|B`] = 5
    const plan = parseSegments(raw, 1).plan!
    expect(Object.keys(plan)).toHaveLength(50)
    expect(plan.p119!.A!.n).toBe(120)
    expect(plan.p70).toBeUndefined()
    const folded = Array.from({ length: 71 }, (_, i) => i + 1).reduce((a, b) => a + b, 0)
    expect(plan[OTHER]).toEqual({ A: { n: folded, metrics: { buy: { converters: 71 } } }, B: { n: 5, metrics: {} } })
  })
})
