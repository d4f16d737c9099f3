import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { logGammaDd } from './log-gamma-dd'
import { logGammaRatioDd } from './log-gamma-ratio-dd'

/**
 * ln B(a, b) = ln Γ(s) − [ln Γ(s + l) − ln Γ(l)] in double-double, with l ≥ s the larger and smaller
 * argument and the bracket from logGammaRatioDd, so the large cancellation when one argument is big
 * (B(5000, ½), or B(5e18, ½) for the Student t at df = 1e19) costs nothing.
 * @example logBetaDd(0.5, 0.5)[0] // 1.1447298858494002 (= ln π)
 */
export function logBetaDd(a: number, b: number): Dd {
  const large = Math.max(a, b)
  const small = Math.min(a, b)
  const ratio = logGammaRatioDd(large, small)
  return ddAdd(logGammaDd([small, 0]), [-ratio[0], -ratio[1]])
}
