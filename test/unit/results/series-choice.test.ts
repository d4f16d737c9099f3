import { describe, expect, it } from 'vitest'
import { transition } from '../../../src/core/lifecycle'
import { analyzeExperiment } from '../../../src/results/analyze-experiment'
import { parseCounters } from '../../../src/core/counters'
import { draftExperiment } from '../../shared/experiments'

const t0 = new Date('2026-11-01T00:00:00Z')
const raw: Record<string, number> = {}
for (const [d, day] of ['2026-11-01', '2026-11-02', '2026-11-03'].entries()) {
  for (const [i, v] of ['Moon', 'Mars'].entries()) {
    const n = 500 + 10 * d + i
    raw[`x|1|${v}`] = (raw[`x|1|${v}`] ?? 0) + n
    raw[`xa|1|1|${v}`] = (raw[`xa|1|1|${v}`] ?? 0) + n
    raw[`xd|1|${day}|${v}`] = n
    for (const [f, x] of [['n', 50 + 5 * i + d], ['s', 170 + 9 * i], ['q', 900 + 40 * i]] as const) {
      for (const m of ['conversion', 'revenue']) {
        raw[`${f}|1|${v}|${m}`] = (raw[`${f}|1|${v}|${m}`] ?? 0) + x
        raw[`${f}d|1|${day}|${v}|${m}`] = x
      }
    }
  }
}
const counters = parseCounters(raw)
const e = transition(
  draftExperiment({
    key: 'mm',
    variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }],
    metrics: [
      { key: 'revenue', type: 'mean', event: 'buy', role: 'secondary' },
      { key: 'conversion', type: 'binomial', event: 'click', role: 'primary' },
    ],
  }),
  { to: 'running' },
  t0,
)

describe('analyzeExperiment series choice', () => {
  const all = analyzeExperiment(e, counters, 'all')

  it('should give every metric a daily series with all', () => {
    expect(Object.keys(all.series).sort()).toEqual(['conversion', 'revenue'])
    expect(all.series.revenue).toHaveLength(3)
    expect(all.series.revenue![2]!.comparisons.Mars!.pValue).toBeTypeOf('number')
  })

  it('should give only the primary metric series by default, the same numbers as with all', () => {
    const r = analyzeExperiment(e, counters)
    expect(Object.keys(r.series)).toEqual(['conversion'])
    expect(r.series.conversion).toEqual(all.series.conversion)
    expect({ ...r, series: all.series }).toEqual(all)
  })

  it('should give one named metric series, none with none or an unknown key', () => {
    expect(analyzeExperiment(e, counters, 'revenue').series).toEqual({ revenue: all.series.revenue })
    expect(analyzeExperiment(e, counters, 'none').series).toEqual({})
    expect(analyzeExperiment(e, counters, 'nope').series).toEqual({})
  })
})
