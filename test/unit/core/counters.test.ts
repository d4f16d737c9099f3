import { describe, expect, it } from 'vitest'
import { field, parseCounters, type RawCounters } from '../../../src/core/counters'

describe('field builders', () => {
  it('should spell every field as RawCounters documents it', () => {
    expect(field.exposures(1, 'A')).toBe('x|1|A')
    expect(field.exposuresByAllocation(2, 3, 'B')).toBe('xa|2|3|B')
    expect(field.exposuresByDay(1, '2026-11-01', 'A')).toBe('xd|1|2026-11-01|A')
    expect(field.converters(1, 'A', 'buy')).toBe('n|1|A|buy')
    expect(field.sum(1, 'A', 'rev')).toBe('s|1|A|rev')
    expect(field.sumSq(1, 'A', 'rev')).toBe('q|1|A|rev')
    expect(field.convertersByDay(1, '2026-11-01', 'A', 'buy')).toBe('nd|1|2026-11-01|A|buy')
    expect(field.sumByDay(1, '2026-11-01', 'A', 'rev')).toBe('sd|1|2026-11-01|A|rev')
    expect(field.sumSqByDay(1, '2026-11-01', 'A', 'rev')).toBe('qd|1|2026-11-01|A|rev')
  })
})

describe('parseCounters', () => {
  const d1 = '2026-11-01'
  const d2 = '2026-11-02'
  const raw: RawCounters = {
    [field.exposures(1, 'A')]: 10,
    [field.exposures(1, 'B')]: 8,
    [field.exposuresByAllocation(1, 1, 'A')]: 6,
    [field.exposuresByAllocation(1, 2, 'A')]: 4,
    [field.exposuresByAllocation(1, 1, 'B')]: 8,
    [field.exposuresByDay(1, d1, 'A')]: 7,
    [field.exposuresByDay(1, d2, 'A')]: 3,
    [field.exposuresByDay(1, d1, 'B')]: 8,
    [field.converters(1, 'A', 'buy')]: 3,
    [field.converters(1, 'A', 'rev')]: 2,
    [field.sum(1, 'A', 'rev')]: 12.5,
    [field.sumSq(1, 'A', 'rev')]: 90.25,
    [field.convertersByDay(1, d2, 'A', 'buy')]: 3,
    [field.sumByDay(1, d1, 'A', 'rev')]: 2.5,
    [field.sumByDay(1, d2, 'A', 'rev')]: 10,
    [field.sumSqByDay(1, d2, 'A', 'rev')]: 90.25,
    [field.exposures(2, 'B')]: 1,
  }

  it('should nest totals by epoch, variant and metric', () => {
    const { epochs } = parseCounters(raw)
    expect(Object.keys(epochs).sort()).toEqual(['1', '2'])
    expect(epochs[1]?.variants.A).toEqual({
      exposures: 10,
      byAllocation: { 1: 6, 2: 4 },
      metrics: { buy: { converters: 3, sum: 0, sumSq: 0 }, rev: { converters: 2, sum: 12.5, sumSq: 90.25 } },
    })
  })

  it('should zero-fill variants, metrics, allocation versions and days seen elsewhere in the epoch', () => {
    const { epochs } = parseCounters(raw)
    expect(epochs[1]?.variants.B).toEqual({
      exposures: 8,
      byAllocation: { 1: 8, 2: 0 },
      metrics: { buy: { converters: 0, sum: 0, sumSq: 0 }, rev: { converters: 0, sum: 0, sumSq: 0 } },
    })
    expect(epochs[1]?.days[d2]?.B).toEqual({ exposures: 0, metrics: { buy: { converters: 0, sum: 0, sumSq: 0 }, rev: { converters: 0, sum: 0, sumSq: 0 } } })
  })

  it('should nest the per-day counters by day then variant', () => {
    const { epochs } = parseCounters(raw)
    expect(epochs[1]?.days[d1]?.A).toEqual({ exposures: 7, metrics: { buy: { converters: 0, sum: 0, sumSq: 0 }, rev: { converters: 0, sum: 2.5, sumSq: 0 } } })
    expect(epochs[1]?.days[d2]?.A).toEqual({ exposures: 3, metrics: { buy: { converters: 3, sum: 0, sumSq: 0 }, rev: { converters: 0, sum: 10, sumSq: 90.25 } } })
  })

  it('should keep epochs apart', () => {
    const { epochs } = parseCounters(raw)
    expect(epochs[2]).toEqual({ variants: { B: { exposures: 1, byAllocation: {}, metrics: {} } }, days: {} })
  })

  it('should skip unknown and malformed fields', () => {
    const parsed = parseCounters({ 'zz|1|A': 1, 'x|one|A': 1, 'x|1': 1, 'x|1|A|extra': 1, 'constructor|1|A': 1, 'x|1.5|A': 1, 'xa|1|v2|A': 1, 'x|1|': 1, [field.exposures(1, 'A')]: 2 })
    expect(parsed).toEqual({ epochs: { 1: { variants: { A: { exposures: 2, byAllocation: {}, metrics: {} } }, days: {} } } })
  })

  it('should give an empty structure for no counters', () => {
    expect(parseCounters({})).toEqual({ epochs: {} })
  })
})
