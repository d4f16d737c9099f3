// ddDiv and ddAdd on numbers instead of [hi, lo] arrays (dd-kernels.ts): every test calls this (the
// results' daily series once per day and treatment), and the arrays were most of its cost.
// test/unit/stats/difference-of-ratios.test.ts checks it against the array composition bit for bit.
import { ddAddTo, ddDivTo, H, L } from './dd-kernels'

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
  ddDivTo(a, 0, n, 0)
  const q1h = H
  const q1l = L
  ddDivTo(b, 0, m, 0)
  ddAddTo(q1h, q1l, -H, -L)
  return H + L
}
