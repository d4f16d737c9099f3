import { studentTTails } from './internal/student-t-tails'

/**
 * Student t upper tail P(T_df > t) = ½·I_{df/(df+t²)}(df/2, ½) for t > 0 (A&S 26.7.1), the incomplete
 * beta computed directly in the tail; for t < 0 it is ½ + P(0 < T < |t|). Relative error ≤ 1e-13 down to
 * 1e-300 for any df > 0 (df = ∞ gives the normal). Two-sided p-values are 2·studentTSf(|t|, df).
 * @example studentTSf(2.228138851986274, 10) // 0.02500000000000003 (mpmath: …036)
 */
export function studentTSf(t: number, df: number): number {
  const { upper, center } = studentTTails(t, df)
  return t >= 0 ? upper : 0.5 + center
}
