import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha256Words } from '../../../src/core/sha256'
import { webCryptoSha256Hex } from '../../shared/web-crypto-hash'

const hex = (words: Int32Array) => [...words].map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('')

describe('sha256Words, the synchronous SHA-256 (FIPS 180-4)', () => {
  it('should give the FIPS 180-4 example digests of "abc", the empty string and the 448-bit message', () => {
    expect(hex(sha256Words('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(hex(sha256Words(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(hex(sha256Words('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('should equal Web Crypto on random strings of any length and script, lone surrogates included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ maxLength: 3000 })), async (text) => {
        expect(hex(sha256Words(text))).toBe(await webCryptoSha256Hex(text))
      }),
      { numRuns: 2000 },
    )
  })

  it('should equal Web Crypto at every length around the block and padding boundaries', async () => {
    for (let length = 0; length <= 200; length++) {
      const text = 'x'.repeat(length)
      expect(hex(sha256Words(text))).toBe(await webCryptoSha256Hex(text))
    }
  })

  it('should give the same digest after a long input has grown its scratch buffer', async () => {
    const long = 'é'.repeat(5000)
    expect(hex(sha256Words(long))).toBe(await webCryptoSha256Hex(long))
    expect(hex(sha256Words('abc'))).toBe(await webCryptoSha256Hex('abc'))
  })
})
