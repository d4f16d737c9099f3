/**
 * New visitor ids: UUID version 7 (RFC 9562, section 5.7), a 48-bit Unix time in milliseconds
 * followed by 74 random bits. Ids made later sort later, as text too (lower-case hex), so a
 * store keyed by unit appends new visitors near the end of its index instead of at random
 * places: the counter shard's SQLite writes a new unit with a random key for about four times the
 * CPU of one with an ordered key (tools/bench/sqlite-keys/run.mjs), because each random key
 * dirties its own page of the B-tree. The same reason UUIDv7 exists for database keys. The 74
 * random bits keep ids unguessable; the id reveals when the visitor first came, which the site
 * knows anyway (the id cookie is set then).
 */

/**
 * A UUIDv7 for time `ms` (Unix ms) from 16 random bytes, which it overwrites in place (callers pass fresh ones).
 * @example uuidV7(1764547200000, crypto.getRandomValues(new Uint8Array(16))) // '019ad5c2-f800-7…'
 */
export function uuidV7(ms: number, bytes: Uint8Array): string {
  let t = Math.max(0, Math.floor(ms))
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256
    t = Math.floor(t / 256)
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70 // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80 // variant 10
  let hex = ''
  for (let i = 0; i < 16; i++) {
    hex += HEX[bytes[i]!]
    if (i === 3 || i === 5 || i === 7 || i === 9) hex += '-'
  }
  return hex
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * A new visitor id for now: uuidV7 over the clock and Web Crypto's random bytes, the first that
 * `accept` takes of the 256 ids that differ only in their last byte (counting on from the random
 * one), else the last tried. A caller may so place the id, at the cost of a few of its 74 random
 * bits; `() => true` takes the first.
 */
export function newVisitorId(accept: (id: string) => boolean): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  const ms = Date.now()
  let id: string
  for (let i = 0; !accept((id = uuidV7(ms, bytes))) && ++i < 256; ) bytes[15]!++
  return id
}
