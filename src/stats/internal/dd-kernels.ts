// Double-double kernels on numbers instead of [hi, lo] arrays: each writes its result's two parts to
// H and L. The array forms (two-sum.ts, two-product.ts, dd-add.ts, dd-mul.ts, dd-div.ts, which cite
// the algorithms) are these kernels with the parts packed, so the arithmetic is written once;
// differenceOfRatios calls them directly, where the arrays were most of its cost.

const SPLITTER = 134217729 // 2^27 + 1, Veltkamp's splitting constant
const BIG = 2 ** 996
const SCALE_DOWN = 2 ** -60
const SCALE_UP = 2 ** 60

/** The high part of the last kernel's result (read right after the call: the isolate is single-threaded). */
export let H = 0
/** The low part of the last kernel's result. */
export let L = 0

/** twoSum (two-sum.ts) into H, L. */
export function twoSumTo(a: number, b: number): void {
  const s = a + b
  const bb = s - a
  H = s
  L = a - (s - bb) + (b - bb)
}

/** twoProduct (two-product.ts) into H, L. */
export function twoProductTo(a: number, b: number): void {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    H = a * b
    L = 0
    return
  }
  if (Math.abs(a) > BIG || Math.abs(b) > BIG) {
    // Splitting would overflow: scale the larger factor by a power of two (exact) and undo it.
    if (Math.abs(a) > Math.abs(b)) twoProductTo(a * SCALE_DOWN, b)
    else twoProductTo(a, b * SCALE_DOWN)
    H *= SCALE_UP
    L *= SCALE_UP
    return
  }
  // Veltkamp's split of each factor into 26-bit halves.
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

/** ddAdd (dd-add.ts) of (x0, x1) and (y0, y1) into H, L. */
export function ddAddTo(x0: number, x1: number, y0: number, y1: number): void {
  twoSumTo(x0, y0)
  const sh = H
  const sl0 = L
  twoSumTo(x1, y1)
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

/** ddMul (dd-mul.ts) of (x0, x1) and (y0, y1) into H, L. */
export function ddMulTo(x0: number, x1: number, y0: number, y1: number): void {
  twoProductTo(x0, y0)
  const ph = H
  const pl = L + (x0 * y1 + x1 * y0)
  const hi = ph + pl
  H = hi
  L = pl - (hi - ph)
}

/** ddDiv (dd-div.ts) of (x0, x1) by (y0, y1) into H, L. */
export function ddDivTo(x0: number, x1: number, y0: number, y1: number): void {
  const q1 = x0 / y0
  ddMulTo(y0, y1, -q1, 0)
  ddAddTo(x0, x1, H, L)
  const r0 = H
  const r1 = L
  const q2 = r0 / y0
  ddMulTo(y0, y1, -q2, 0)
  ddAddTo(r0, r1, H, L)
  const q3 = H / y0
  ddAddTo(q1, 0, q2, 0)
  ddAddTo(H, L, q3, 0)
}
