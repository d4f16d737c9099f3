import { describe, expect, it } from 'vitest'
import { assertRecordableEvents, assertRecordableExposures } from '../../../src/store/counters'

describe('input checks', () => {
  const metrics = [{ key: 'buy', type: 'binomial' as const }]
  const event = { id: 'e1', unit: 'u1', value: 1, day: '2026-11-01', metrics: ['buy'] }

  it('should accept a well-formed batch', () => {
    expect(() => assertRecordableEvents('exp', metrics, [event])).not.toThrow()
    expect(() => assertRecordableExposures('exp', [{ unit: 'u|1', variant: 'A', allocationVersion: 1, day: '2026-11-01' }])).not.toThrow()
  })

  it('should reject an event naming an undefined metric', () => {
    expect(() => assertRecordableEvents('exp', metrics, [{ ...event, metrics: ['rev'] }])).toThrow(/metric "rev"/)
  })

  it('should reject non-finite values and bad days', () => {
    expect(() => assertRecordableEvents('exp', metrics, [{ ...event, value: Number.NaN }])).toThrow(/non-finite/)
    expect(() => assertRecordableEvents('exp', metrics, [{ ...event, day: '2026-11-01|x' }])).toThrow(/YYYY-MM-DD/)
  })

  it('should reject a variant that would break a field name', () => {
    expect(() => assertRecordableExposures('exp', [{ unit: 'u', variant: 'A|B', allocationVersion: 1, day: '2026-11-01' }])).toThrow(/contains "\|"/)
  })
})
