import { describe, expect, it } from 'vitest'
import { parseCounters } from '../../../src/core/counters'
import { transition } from '../../../src/core/lifecycle'
import { parseSegments } from '../../../src/core/segments'
import { analyzeExperiment } from '../../../src/results/analyze-experiment'
import { analyzeSegments } from '../../../src/results/segments'
import { welchTTest } from '../../../src/stats'
import { draftExperiment } from '../../shared/experiments'

const e = transition(draftExperiment({ key: 'seg', metrics: [{ key: 'rev', type: 'mean', event: 'buy', role: 'primary' }], correction: 'benjamini-hochberg' }), { to: 'running' }, new Date('2026-11-01T00:00:00Z'))
// Two devices; per (device, variant): units n, Σ and Σ² of revenue.
const cells = { mobile: { control: [400, 2000, 30000], treatment: [410, 2300, 33000] }, desktop: { control: [300, 3000, 50000], treatment: [290, 2800, 47000] } } as const
const raw: Record<string, number> = {}
for (const [device, variants] of Object.entries(cells)) {
  for (const [v, [n, s, q]] of Object.entries(variants)) {
    raw[`x|1|${v}`] = (raw[`x|1|${v}`] ?? 0) + n
    raw[`s|1|${v}|rev`] = (raw[`s|1|${v}|rev`] ?? 0) + s
    raw[`q|1|${v}|rev`] = (raw[`q|1|${v}|rev`] ?? 0) + q
    raw[`n|1|${v}|rev`] = (raw[`n|1|${v}|rev`] ?? 0) + n
    raw[`gx|1|device|${device}|${v}`] = n
    raw[`gs|1|device|${device}|${v}|rev`] = s
    raw[`gq|1|device|${device}|${v}|rev`] = q
  }
}

describe('analyzeSegments', () => {
  const overall = analyzeExperiment(e, parseCounters(raw), 'none')
  const s = analyzeSegments(e, parseSegments(raw, 1), overall)
  const device = s.dimensions[0]!

  it('should give each variant its share of units per value', () => {
    expect(device.values.map((v) => v.value)).toEqual(['desktop', 'mobile'])
    expect(device.values[1]!.share).toEqual({ control: 400 / 700, treatment: 410 / 700 })
  })

  it('should compute mean-metric lifts with Bonferroni-simultaneous CIs and adjusted p-values, labelled exploratory', () => {
    const lift = device.values[1]!.lifts[0]!
    const expected = welchTTest({ control: { n: 400, sum: 2000, sumSq: 30000 }, treatment: { n: 410, sum: 2300, sumSq: 33000 }, alpha: e.alpha / 2 })
    expect(lift.absolute).toEqual({ estimate: expected.absolute.estimate, ci: expected.absolute.ci })
    expect(lift.pValue).toBe(expected.pValue)
    expect(lift.adjustedPValue).toBeGreaterThanOrEqual(lift.pValue!)
    expect(s).toMatchObject({ metric: 'rev', exploratory: true })
    expect(s.note).toMatch(/benjamini-hochberg/)
  })

  it('should not flag a balanced table and judge no paradox when segments disagree in sign', () => {
    expect(device.balance.flagged).toBe(false)
    expect(device.balance.df).toBe(1)
    expect(device.simpson).toEqual([expect.objectContaining({ variant: 'treatment', paradox: false })])
  })
})
