import type { Dd } from './dd'
import type { Tails } from '../types'
import { ddAdd } from './dd-add'
import { ddExpMul } from './dd-exp-mul'
import { ddLog } from './dd-log'
import { ddMul } from './dd-mul'
import { gammaContinuedFraction } from './gamma-continued-fraction'
import { logBetaDd } from './log-beta-dd'
import { logGammaDd } from './log-gamma-dd'
import { logGammaRatioDd } from './log-gamma-ratio-dd'
import { regularizedIncompleteGamma } from '../regularized-incomplete-gamma'
import { twoProduct } from './two-product'
import { twoSum } from './two-sum'

const EPS = 1e-17
// Lentz's factors settle at 1 ± 1 ulp (2⁻⁵³ below, 2⁻⁵² above) and may flicker there forever: stop at 1 ulp.
const CF_EPS = 2.3e-16
const TINY = 1e-300
const MAX_ITER = 1_000_000

/** Continued fraction for I_x(a, b) / (xᵃ yᵇ / (a B(a, b))) (DLMF 8.17.22; Numerical Recipes betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) <= CF_EPS) break
  }
  return h
}

const BGRAT_TERMS = 30
const ODD_FACTORIALS: number[] = [1] // (2n+1)!
for (let n = 1; n <= BGRAT_TERMS; n++) ODD_FACTORIALS.push(ODD_FACTORIALS[n - 1]! * (2 * n) * (2 * n + 1))

/**
 * I_x(a, b) for a ≥ 15, b ≤ 1, x near 1: DiDonato & Morris (1992, ACM TOMS 708) BGRAT, eqs. 9–9.6
 * (as in Boost's beta_small_b_large_a_series): T = a + (b−1)/2, u = −T ln x,
 * I_x(a,b) = uᵇe⁻ᵘ/Γ(b) · Γ(a+b)/Γ(a) · T⁻ᵇ · Σ pₙ Jₙ, the prefactor formed in double-double.
 */
function bgrat(a: number, b: number, lnX: Dd): number {
  const t = twoSum(a, (b - 1) / 2)
  const uDd = ddMul(t, [-lnX[0], -lnX[1]])
  const u = uDd[0]
  const lnU = ddAdd(ddLog(u), [uDd[1] / u, 0])
  const lnT = ddAdd(ddLog(t[0]), [t[1] / t[0], 0])
  const lgB = logGammaDd([b, 0])
  // ln(uᵇ e⁻ᵘ / Γ(b)) and the full prefactor
  const lnH = ddAdd(ddAdd(scale(b, lnU), [-uDd[0], -uDd[1]]), [-lgB[0], -lgB[1]])
  let lnPrefix = ddAdd(lnH, logGammaRatioDd(a, b))
  lnPrefix = ddAdd(lnPrefix, scale(-b, lnT))
  let j: number
  if (u >= b + 1) {
    j = gammaContinuedFraction(b, u)
  } else {
    j = regularizedIncompleteGamma(b, u).upper / Math.exp(lnH[0] + lnH[1])
  }
  const p: number[] = [1]
  let sum = j
  const lx = lnX[0]
  const lx2 = (lx / 2) * (lx / 2)
  let lxp = 1
  const t4 = 4 * t[0] * t[0]
  let b2n = b
  for (let n = 1; n < BGRAT_TERMS; n++) {
    let pn = 0
    for (let m = 1; m < n; m++) pn += ((m * b - n) * p[n - m]!) / ODD_FACTORIALS[m]!
    pn = pn / n + (b - 1) / ODD_FACTORIALS[n]!
    p.push(pn)
    j = (b2n * (b2n + 1) * j + (u + b2n + 1) * lxp) / t4
    lxp *= lx2
    b2n += 2
    const r = pn * j
    sum += r
    if (Math.abs(r) <= EPS * Math.abs(sum)) break
  }
  return ddExpMul(lnPrefix, sum)
}

/** a·(hi + lo) as a double-double. */
function scale(a: number, v: Dd): Dd {
  const [h, l] = twoProduct(a, v[0])
  return [h, l + a * v[1]]
}

/**
 * Both tails of the regularized incomplete beta I_x(a, b), given x, y = 1 − x and their logarithms as
 * double-doubles (callers such as the Student t pass them without rounding y = 1 − x). The tail whose
 * continued fraction converges (x < (a+1)/(a+b+2) → I_x(a,b), else I_y(b,a)) is computed directly as
 * exp(a ln x + b ln y − ln B(a,b)) · CF / a, the logarithm in double-double; the other tail is 1 − it.
 * For a ≥ 15, b ≤ 1 and ½(b+1)/(a+b+2) ≤ y < 0.3 (and the mirror case) it uses DiDonato & Morris's
 * BGRAT asymptotic expansion instead, as TOMS 708 and Boost do.
 * @example incompleteBetaCore(2, 3, 0.2, 0.8, ddLog(0.2), ddLog(0.8)) // { lower: 0.18079999999999996, upper: 0.8192 }
 */
export function incompleteBetaCore(a: number, b: number, x: number, y: number, lnX: Dd, lnY: Dd): Tails {
  // (x itself may underflow to 0 while ln x is finite, e.g. the Student t at |t| = 1e200.)
  if (lnX[0] === -Infinity) return { lower: 0, upper: 1 }
  if (lnY[0] === -Infinity) return { lower: 1, upper: 0 }
  // Large a, small b, x near 1 (Student t with df ≥ 30 and |t| ≲ 0.65·√df): BGRAT, where the
  // continued fraction's coefficients would cancel. Its mirror image covers large b, small a.
  if (a >= 15 && b <= 1 && y < 0.3 && y >= (0.5 * (b + 1)) / (a + b + 2)) {
    const lower = bgrat(a, b, lnX)
    return { lower, upper: 1 - lower }
  }
  if (b >= 15 && a <= 1 && x < 0.3 && x >= (0.5 * (a + 1)) / (a + b + 2)) {
    const upper = bgrat(b, a, lnY)
    return { lower: 1 - upper, upper }
  }
  const lnB = logBetaDd(a, b)
  const lnFront = ddAdd(ddAdd(scale(a, lnX), scale(b, lnY)), [-lnB[0], -lnB[1]])
  if (x < (a + 1) / (a + b + 2)) {
    const lower = ddExpMul(lnFront, betaContinuedFraction(a, b, x) / a)
    return { lower, upper: 1 - lower }
  }
  const upper = ddExpMul(lnFront, betaContinuedFraction(b, a, y) / b)
  return { lower: 1 - upper, upper }
}
