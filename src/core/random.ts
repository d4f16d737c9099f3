/**
 * Injectable random sources. Everything random in edgesplit (bandit draws, simulations) takes a
 * `RandomSource` argument instead of calling `Math.random`, so tests are reproducible and production
 * can plug in the platform CSPRNG.
 */

/** A source of uniform doubles in [0, 1). */
export type RandomSource = () => number

const TWO_POW_26 = 67108864
const TWO_POW_53 = 9007199254740992

/** 128-bit string hash (bryc's cyrb128), used only to spread a seed over the whole xoshiro state. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/**
 * Deterministic PRNG: xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number
 * generators") seeded by cyrb128(typeof seed + ':' + seed); each double is (a>>>5 · 2^26 + b>>>6) / 2^53
 * from two 32-bit outputs, so it has full 53-bit resolution and is never exactly 1.
 * The type prefix keeps `seededRandom(1)` and `seededRandom('1')` distinct. Not cryptographic.
 * @example
 * const rng = seededRandom('test-42')
 * rng() // 0 <= x < 1, same sequence every run
 */
export function seededRandom(seed: string | number): RandomSource {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new RangeError(`seededRandom: seed must be a finite number or a string, got ${seed}`)
  }
  let [s0, s1, s2, s3] = cyrb128(`${typeof seed}:${String(seed)}`)
  // xoshiro's only bad state is all-zero; it would emit zeros forever.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1

  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    return result
  }
  // Decorrelate nearby seeds ('a', 'b') whose hashed states share structure.
  for (let i = 0; i < 16; i++) next32()

  return function seeded(): number {
    const a = next32() >>> 5
    const b = next32() >>> 6
    return (a * TWO_POW_26 + b) / TWO_POW_53
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/**
 * Production random source: uniform doubles (a>>>5 · 2^26 + b>>>6) / 2^53 from the platform CSPRNG
 * (`crypto.getRandomValues`, Web Crypto API), refilled 1 KiB at a time to amortise the call.
 * @example
 * const rng = cryptoRandom()
 * rng() // 0 <= x < 1, unpredictable
 */
export function cryptoRandom(): RandomSource {
  const buffer = new Uint32Array(256)
  let index = buffer.length
  const next32 = (): number => {
    if (index === buffer.length) {
      crypto.getRandomValues(buffer)
      index = 0
    }
    return buffer[index++]!
  }
  return function crypto53(): number {
    const a = next32() >>> 5
    const b = next32() >>> 6
    return (a * TWO_POW_26 + b) / TWO_POW_53
  }
}
