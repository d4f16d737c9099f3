import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { EventSchema, ISO_DATETIME } from '../../../src/core/event-schema'

// What the event schema accepted before it wrote the pattern out.
const zodDatetime = z.iso.datetime({ offset: true })

const SAMPLES = [
  '2026-11-21T12:00:00Z',
  '2026-11-21T12:00:00.123456Z',
  '2026-11-21T12:00:00+05:30',
  '2026-11-21T23:59:59-12:00',
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-11-21T24:00:00Z',
  '2026-11-21T12:00Z',
  '2026-11-21T12:00:00',
  '2026-11-21 12:00:00Z',
  '2026-11-21T12:00:00+0530',
  '2026-11-21T12:00:00z',
  '2026-11-21',
  '',
]

describe('ISO_DATETIME', () => {
  it('should accept exactly the date-times zod\'s z.iso.datetime({ offset: true }) accepts', () => {
    for (const s of SAMPLES) expect(ISO_DATETIME.test(s), s).toBe(zodDatetime.safeParse(s).success)
    const part = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'))
    const candidate = fc
      .tuple(part(4, 9999), part(2, 13), part(2, 32), part(2, 25), part(2, 61), part(2, 61), fc.constantFrom('', '.5', '.123'), fc.constantFrom('Z', '+01:00', '-23:59', '+24:00', ''))
      .map(([y, mo, d, h, mi, s, f, tz]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${tz}`)
    fc.assert(fc.property(fc.oneof(candidate, fc.string()), (s) => ISO_DATETIME.test(s) === zodDatetime.safeParse(s).success))
  })

  it('should refuse a ts that is not a date-time with the event schema\'s own message', () => {
    const result = EventSchema.safeParse({ unit: 'u', name: 'n', ts: '2026-02-30T00:00:00Z' })
    expect(result.success).toBe(false)
    expect(JSON.stringify(result.error?.issues)).toContain('ts must be an ISO 8601 date-time such as 2026-11-21T12:00:00Z')
    expect(EventSchema.safeParse({ unit: 'u', name: 'n', ts: '2024-02-29T12:00:00.5+01:00' }).success).toBe(true)
  })
})
