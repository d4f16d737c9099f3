import { describe, expect, it } from 'vitest'
import { hashToUnitInterval } from '../../../src/core/hash'
import { seededRandom } from '../../../src/core/random'
import { GOLDEN, recompute } from '../../shared/golden'
import { webCryptoUnitInterval } from '../../shared/web-crypto-hash'

describe('hash v1 (docs/design.md, "Hashing": golden vectors from Python hashlib, the seed 000 router formula)', () => {
  it.each(GOLDEN)('should reproduce %s exactly', async (_name, v) => {
    const got = await recompute(v)
    expect(got.prefixHex).toBe(v.prefixHex)
    expect(got.u).toBe(v.u) // bit-for-bit: hi·2^-32 + lo·2^-64 rounds once, like int/2**64
    expect(got.assignments).toEqual(v.assignments)
  })

  it('should cover non-ASCII and empty-looking ids', () => {
    const units = new Set(GOLDEN.map(([, v]) => v.unit))
    for (const u of ['', ' ', '\u200b', 'café', '日本語', 'emoji 🚀', 'null', '0']) expect(units.has(u)).toBe(true)
  })

  it('should return a value in [0, 1) and differ across salts', async () => {
    const a = await hashToUnitInterval('user-456', 'moon_mars')
    const b = await hashToUnitInterval('user-456', 'white_gold_btn')
    expect(a).toBeGreaterThanOrEqual(0)
    expect(a).toBeLessThan(1)
    expect(a).not.toBe(b)
  })

  it('should equal the Web Crypto computation on 3000 random ids, long and non-ASCII ones included', async () => {
    const rng = seededRandom('hash-sync')
    const alphabet = ['a', 'Z', '0', '-', ':', 'é', '日', '🚀', ' ']
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(rng() * (i % 10 === 0 ? 200 : 40))
      const unit = Array.from({ length }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('')
      const salt = i % 3 === 0 ? 'moon_mars' : `aa_${i}`
      expect(hashToUnitInterval(unit, salt)).toBe(await webCryptoUnitInterval(unit, salt))
    }
  })
})
