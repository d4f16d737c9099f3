const M_1_SQRT_2PI = 0.398942280401432677939946059934

/**
 * Standard normal density φ(x) = exp(−x²/2)/√(2π), with x² split as xsq² + (x − xsq)(x + xsq),
 * xsq = trunc(16x)/16 (the trick of Cody's ANORM / R's pnorm), so the exponent carries no rounding
 * error worth mentioning even at |x| = 38 (relative error ≲ 3 ulp).
 * @example normalPdf(0) // 0.3989422804014327
 */
export function normalPdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  const y = Math.abs(x)
  if (y > 40) return 0
  const xsq = Math.trunc(y * 16) / 16
  const del = (y - xsq) * (y + xsq)
  return M_1_SQRT_2PI * Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5)
}
