import type { Dd } from './types'
import { ddAdd } from './dd-add'
import { logGammaDd } from './log-gamma-dd'
import { twoSum } from './two-sum'

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) in double-double (a + b kept exact as a double-double),
 * so the large cancellation when one argument is big (e.g. B(5000, ½)) costs nothing.
 * @example logBetaDd(0.5, 0.5)[0] // 1.1447298858494002 (= ln π)
 */
export function logBetaDd(a: number, b: number): Dd {
  const lgA = logGammaDd([a, 0])
  const lgB = logGammaDd([b, 0])
  const lgAB = logGammaDd(twoSum(a, b))
  return ddAdd(ddAdd(lgA, lgB), [-lgAB[0], -lgAB[1]])
}
