// The double-double steps of ddDiv and ddAdd (dd-div.ts, dd-add.ts, dd-mul.ts, two-sum.ts,
// two-product.ts), operation for operation, on numbers instead of [hi, lo] arrays: every test calls
// this (the results' daily series once per day and treatment), and the arrays were most of its cost.
// test/unit/stats/difference-of-ratios.test.ts checks it against the array composition bit for bit.

const SPLITTER = 134217729 // 2^27 + 1, Veltkamp's splitting constant
const BIG = 2 ** 996
const SCALE_DOWN = 2 ** -60
const SCALE_UP = 2 ** 60

// The two parts of the last result (single-threaded, read right after each call).
let H = 0
let L = 0

function twoSum(a: number, b: number): void {
  const s = a + b
  const bb = s - a
  H = s
  L = a - (s - bb) + (b - bb)
}

function twoProduct(a: number, b: number): void {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    H = a * b
    L = 0
    return
  }
  if (Math.abs(a) > BIG || Math.abs(b) > BIG) {
    if (Math.abs(a) > Math.abs(b)) twoProduct(a * SCALE_DOWN, b)
    else twoProduct(a, b * SCALE_DOWN)
    H *= SCALE_UP
    L *= SCALE_UP
    return
  }
  const p = a * b
  const ta = SPLITTER * a
  const ah = ta - (ta - a)
  const al = a - ah
  const tb = SPLITTER * b
  const bh = tb - (tb - b)
  const bl = b - bh
  H = p
  L = ah * bh - p + ah * bl + al * bh + al * bl
}

function ddAdd(x0: number, x1: number, y0: number, y1: number): void {
  twoSum(x0, y0)
  const sh = H
  const sl0 = L
  twoSum(x1, y1)
  const th = H
  const tl = L
  let sl = sl0 + th
  const hi = sh + sl
  sl = sl - (hi - sh)
  sl += tl
  const h2 = hi + sl
  H = h2
  L = sl - (h2 - hi)
}

function ddMul(x0: number, x1: number, y0: number, y1: number): void {
  twoProduct(x0, y0)
  const ph = H
  const pl = L + (x0 * y1 + x1 * y0)
  const hi = ph + pl
  H = hi
  L = pl - (hi - ph)
}

function ddDiv(x0: number, x1: number, y0: number, y1: number): void {
  const q1 = x0 / y0
  ddMul(y0, y1, -q1, 0)
  ddAdd(x0, x1, H, L)
  const r0 = H
  const r1 = L
  const q2 = r0 / y0
  ddMul(y0, y1, -q2, 0)
  ddAdd(r0, r1, H, L)
  const q3 = H / y0
  ddAdd(q1, 0, q2, 0)
  ddAdd(H, L, q3, 0)
}

/**
 * a/n − b/m with a single final rounding (both quotients in double-double), so the difference of two
 * nearly equal means or rates carries no cancellation error (naively it can lose log₁₀(mean/diff) digits).
 * @example differenceOfRatios(3, 10, 1, 10) // 0.2 (naively 3/10 − 1/10 = 0.19999999999999998)
 */
export function differenceOfRatios(a: number, n: number, b: number, m: number): number {
  // The last call's answer: the fixed-horizon and the sequential test of one comparison ask the same one.
  if (Object.is(a, lastA) && Object.is(n, lastN) && Object.is(b, lastB) && Object.is(m, lastM)) return lastD
  lastD = compute(a, n, b, m)
  lastA = a
  lastN = n
  lastB = b
  lastM = m
  return lastD
}

let lastA = Number.NaN
let lastN = Number.NaN
let lastB = Number.NaN
let lastM = Number.NaN
let lastD = Number.NaN

function compute(a: number, n: number, b: number, m: number): number {
  ddDiv(a, 0, n, 0)
  const q1h = H
  const q1l = L
  ddDiv(b, 0, m, 0)
  ddAdd(q1h, q1l, -H, -L)
  return H + L
}
