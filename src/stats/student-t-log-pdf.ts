import { logBetaDd } from './log-beta-dd'

/**
 * ln of the Student t density, −((df+1)/2)·ln(1 + t²/df) − ½ ln df − ln B(df/2, ½), without overflow
 * for huge |t| (used for Newton slopes where the density itself underflows).
 * @example studentTLogPdf(0, 1) // -1.1447298858494002 (= −ln π)
 */
export function studentTLogPdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (df === Infinity) return -0.5 * t * t - 0.9189385332046728
  const r = Math.abs(t) / Math.sqrt(df)
  const lnTerm = r < 1e150 ? Math.log1p(r * r) : 2 * Math.log(r)
  const lnB = logBetaDd(df / 2, 0.5)
  return -((df + 1) / 2) * lnTerm - 0.5 * Math.log(df) - (lnB[0] + lnB[1])
}
