import { logGammaDd } from './internal/log-gamma-dd'

/**
 * ln Γ(x) for x > 0 (NaN otherwise): the double-double Stirling evaluation of logGammaDd rounded to
 * double, so absolute error ≲ 1e-18 + ½ ulp.
 * @example logGamma(0.5) // 0.5723649429247001 (= ln √π)
 */
export function logGamma(x: number): number {
  return logGammaDd([x, 0])[0]
}
