const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])
const W = new Uint32Array(64)
const encoder = new TextEncoder()
let buffer = new Uint8Array(256)

/**
 * The hashing spec `u = uint64_be(SHA-256(UTF-8(unit + ":" + salt))[0..8]) / 2^64` (src/core/hash.ts),
 * computed synchronously with a plain SHA-256 (FIPS 180-4) so that the A/A simulation can hash millions
 * of units in seconds; Web Crypto's digest is asynchronous and ~10× slower per call in Node.
 * test/unit/simulate/hash-sync.test.ts checks it equals hashToUnitInterval.
 * @example hashToUnitIntervalSync('user-456', 'moon_mars') // === await hashToUnitInterval('user-456', 'moon_mars')
 */
export function hashToUnitIntervalSync(unit: string, salt: string): number {
  const text = `${unit}:${salt}`
  // UTF-8 needs at most 3 bytes per UTF-16 code unit; reuse one buffer for the common short input.
  const needed = text.length * 3 + 72
  if (needed > buffer.length) buffer = new Uint8Array(needed * 2)
  const length = encoder.encodeInto(text, buffer).written
  const blocks = Math.ceil((length + 9) / 64)
  const end = blocks * 64
  buffer.fill(0, length, end)
  buffer[length] = 0x80
  // Inputs are far below 2^32 bits, so the high word of the 64-bit length stays 0.
  const bits = length * 8
  buffer[end - 4] = bits >>> 24
  buffer[end - 3] = (bits >>> 16) & 0xff
  buffer[end - 2] = (bits >>> 8) & 0xff
  buffer[end - 1] = bits & 0xff
  const padded = buffer
  let h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a
  let h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19
  for (let offset = 0; offset < end; offset += 64) {
    for (let t = 0, i = offset; t < 16; t++, i += 4) W[t] = (padded[i]! << 24) | (padded[i + 1]! << 16) | (padded[i + 2]! << 8) | padded[i + 3]!
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
      const t2 = (S0 + maj) | 0
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0
  }
  // Only the first 8 bytes matter; hi·2^-32 + lo·2^-64 rounds once, exactly as src/core/hash.ts.
  return (h0 >>> 0) * 2 ** -32 + (h1 >>> 0) * 2 ** -64
}
