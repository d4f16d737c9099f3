import { describe, expect, it, vi } from 'vitest'
import { eventMaxAgeMs, FUTURE_SKEW_MS, isDateMs, MAX_EVENT_AGE_MS } from '../../../src/flows/event-window'
import { ID_TTL_MS } from '../../../src/store/counter-store'

describe('the event age window', () => {
  it('should default to the dedup window less the allowed clock skew, so a forgotten id is always too old', () => {
    expect(eventMaxAgeMs({})).toBe(MAX_EVENT_AGE_MS)
    expect(MAX_EVENT_AGE_MS + FUTURE_SKEW_MS).toBe(ID_TTL_MS)
  })

  it('should use EVENT_MAX_AGE_SECONDS when it is narrower', () => {
    expect(eventMaxAgeMs({ EVENT_MAX_AGE_SECONDS: '3600' })).toBe(3_600_000)
  })

  it('should clamp a wider EVENT_MAX_AGE_SECONDS to the dedup window and say so', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(eventMaxAgeMs({ EVENT_MAX_AGE_SECONDS: '31536000' })).toBe(MAX_EVENT_AGE_MS)
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/EVENT_MAX_AGE_SECONDS=31536000 .*604500 s/))
    warn.mockRestore()
  })

  it('should tell times a Date can hold from those it cannot', () => {
    expect([0, -1, 8.64e15, -8.64e15].map(isDateMs)).toEqual([true, true, true, true])
    expect([8.64e15 + 1, 1e300, -1e300, Number.NaN, Number.POSITIVE_INFINITY].map(isDateMs)).toEqual([false, false, false, false, false])
  })
})
