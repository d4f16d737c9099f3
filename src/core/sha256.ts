// SHA-256's constants, computed here instead of written out (0.6 KiB of the gzipped bundle): the
// initial hash H0..H7 is the first 32 bits of the fractional parts of the square roots of the first
// 8 primes (FIPS 180-4, section 5.3.3), the round constants K_0..K_63 those of the cube roots of the
// first 64 primes (section 4.2.2). Math.sqrt is exact to the ulp, Math.cbrt within one (2^-50 here),
// and every product lies at least 0.005 from an integer, so the truncation is exact;
// test/unit/core/sha256.test.ts compares digests with Web Crypto.
const H = new Int32Array(8)
const K = new Int32Array(64)
for (let n = 2, t = 0; t < 64; n++) {
  let prime = true
  for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false
  if (!prime) continue
  if (t < 8) H[t] = (Math.sqrt(n) % 1) * 2 ** 32
  K[t++] = (Math.cbrt(n) % 1) * 2 ** 32
}
const W = new Int32Array(64)
const encoder = new TextEncoder()
// Scratch for the padded message; the hash runs synchronously, so one buffer per isolate suffices.
let scratch = new Uint8Array(1024)

/**
 * SHA-256 (FIPS 180-4) of the UTF-8 encoding of `text` (lone surrogates become U+FFFD, as with
 * TextEncoder), computed synchronously: the digest as its eight big-endian 32-bit words H0..H7.
 * Web Crypto's `crypto.subtle.digest` gives the same bytes but costs a promise per call;
 * test/unit/core/sha256.test.ts checks the two agree on random strings.
 * @example (sha256Words('abc')[0] >>> 0).toString(16) // 'ba7816bf'
 */
export function sha256Words(text: string): Int32Array {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit; 72 = the 0x80 byte, the 8-byte length, a block's slack.
  const needed = text.length * 3 + 72
  const buffer = needed <= scratch.length ? scratch : needed <= 4096 ? (scratch = new Uint8Array(needed * 2)) : new Uint8Array(needed)
  const length = encoder.encodeInto(text, buffer).written
  const end = Math.ceil((length + 9) / 64) * 64
  buffer.fill(0, length, end)
  buffer[length] = 0x80
  // The message length in bits, a 64-bit big-endian integer whose high word stays 0 (texts are far below 2^29 bytes).
  const bits = length * 8
  buffer[end - 4] = bits >>> 24
  buffer[end - 3] = (bits >>> 16) & 0xff
  buffer[end - 2] = (bits >>> 8) & 0xff
  buffer[end - 1] = bits & 0xff
  let h0 = H[0]!, h1 = H[1]!, h2 = H[2]!, h3 = H[3]!
  let h4 = H[4]!, h5 = H[5]!, h6 = H[6]!, h7 = H[7]!
  for (let offset = 0; offset < end; offset += 64) {
    for (let t = 0, i = offset; t < 16; t++, i += 4) W[t] = (buffer[i]! << 24) | (buffer[i + 1]! << 16) | (buffer[i + 2]! << 8) | buffer[i + 3]!
    for (let t = 16; t < 64; t++) {
      const x = W[t - 15]!
      const y = W[t - 2]!
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const ch = (e & f) ^ (~e & g)
      const t1 = (h + S1 + ch + K[t]! + W[t]!) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const maj = (a & b) ^ (a & c) ^ (b & c)
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + S0 + maj) | 0
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0
  }
  return Int32Array.of(h0, h1, h2, h3, h4, h5, h6, h7)
}
