import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { newVisitorId, uuidV7 } from '../../../src/core/visitor-id'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('new visitor ids (UUIDv7)', () => {
  it('should put the time in the first 48 bits and set the version and variant (RFC 9562 §5.7)', () => {
    const id = uuidV7(0x0123456789ab, new Uint8Array(16).fill(0xff))
    expect(id).toBe('01234567-89ab-7fff-bfff-ffffffffffff')
    expect(uuidV7(0, new Uint8Array(16))).toBe('00000000-0000-7000-8000-000000000000')
  })

  it('should sort as text in the order of the times they were made at, whatever the random bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 2 }), fc.integer({ min: 1, max: 10 ** 9 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (t, dt, a, b) => {
        const later = Math.min(2 ** 48 - 1, t + dt)
        expect(uuidV7(t, a) < uuidV7(later, b)).toBe(true)
      }),
    )
  })

  it('should make well-formed, distinct ids that a cookie carries back as they are', () => {
    const ids = Array.from({ length: 10_000 }, () => newVisitorId(() => true))
    for (const id of ids.slice(0, 100)) expect(id).toMatch(UUID_V7)
    expect(new Set(ids).size).toBe(ids.length)
    // Ids of one millisecond differ in their 74 random bits.
    expect(new Set(ids.map((id) => id.slice(14))).size).toBe(ids.length)
  })

  it('should return the first id `accept` takes, each one tried differing from the first only in its last byte', () => {
    for (let run = 0; run < 200; run++) {
      const tried: string[] = []
      const id = newVisitorId((candidate) => (tried.push(candidate), parseInt(candidate.slice(-2), 16) % 5 === 0))
      expect(id).toMatch(UUID_V7)
      expect(parseInt(id.slice(-2), 16) % 5).toBe(0)
      expect(tried.at(-1)).toBe(id)
      expect(tried.slice(0, -1).every((t) => parseInt(t.slice(-2), 16) % 5 !== 0)).toBe(true)
      expect(new Set(tried.map((t) => t.slice(0, 34))).size).toBe(1)
      expect(new Set(tried).size).toBe(tried.length)
    }
  })

  it('should give up after the 256 ids of its last byte and answer a well-formed one', () => {
    const tried: string[] = []
    const id = newVisitorId((candidate) => (tried.push(candidate), false))
    expect(tried).toHaveLength(256)
    expect(new Set(tried).size).toBe(256)
    expect(id).toBe(tried.at(-1))
    expect(id).toMatch(UUID_V7)
  })
})
