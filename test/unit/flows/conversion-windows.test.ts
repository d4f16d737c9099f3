import { describe, expect, it } from 'vitest'
import type { Metric } from '../../../src/core/experiment'
import { applyWindows } from '../../../src/flows/conversion-windows'

const metrics: Metric[] = [
  { key: 'plain', type: 'binomial', event: 'visit', role: 'primary' },
  { key: 'd1', type: 'retention', event: 'visit', role: 'secondary', window: { start: 3600, end: 86400 } },
]
const exposed = Date.parse('2026-11-27T23:30:00Z')

describe('conversion windows', () => {
  it('should count an event from window.start inclusive to window.end exclusive, under the exposure day', () => {
    const offsets = [3599, 3600, 86399, 86400]
    const events = offsets.map((s, i) => ({ id: `e${i}`, unit: 'u', value: 0, day: 'x', metrics: ['plain', 'd1'] }))
    const out = applyWindows(events, metrics, { u: exposed }, (i) => exposed + offsets[i]! * 1000)
    expect(out.map((e) => e.metrics)).toEqual([['plain'], ['plain', 'd1#2026-11-27'], ['plain', 'd1#2026-11-27'], ['plain']])
  })

  it('should drop a windowed metric for a unit without a recorded exposure time, and keep the others', () => {
    const out = applyWindows([{ id: 'e', unit: 'old', value: 0, day: 'x', metrics: ['plain', 'd1'] }], metrics, {}, () => exposed)
    expect(out[0]!.metrics).toEqual(['plain'])
  })
})
