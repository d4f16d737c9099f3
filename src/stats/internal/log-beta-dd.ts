import type { Dd } from './dd'
import { ddAdd } from './dd-add'
import { logGammaDd } from './log-gamma-dd'
import { logGammaRatioDd } from './log-gamma-ratio-dd'

// The last MEMO answers (callers only read them): a results computation asks for the same few
// values again and again (the control's posterior in every comparison, B(df/2, ½) in both the
// Student t quantile and tail of one Welch test), and each costs two double-double ln Γ.
const MEMO = 32
const memoSmall = new Float64Array(MEMO).fill(Number.NaN)
const memoLarge = new Float64Array(MEMO).fill(Number.NaN)
const memoValue: Dd[] = new Array<Dd>(MEMO)
let memoNext = 0

/**
 * ln B(a, b) = ln Γ(s) − [ln Γ(s + l) − ln Γ(l)] in double-double, with l ≥ s the larger and smaller
 * argument and the bracket from logGammaRatioDd, so the large cancellation when one argument is big
 * (B(5000, ½), or B(5e18, ½) for the Student t at df = 1e19) costs nothing. Recent answers are
 * remembered (pure, so the same bits); the returned pair must not be modified.
 * @example logBetaDd(0.5, 0.5)[0] // 1.1447298858494002 (= ln π)
 */
export function logBetaDd(a: number, b: number): Dd {
  const large = Math.max(a, b)
  const small = Math.min(a, b)
  // Only positive arguments are remembered, so 0 and −0 (equal under ===) never share an entry.
  if (!(small > 0)) return compute(large, small)
  for (let i = 0; i < MEMO; i++) if (memoSmall[i] === small && memoLarge[i] === large) return memoValue[i]!
  const value = compute(large, small)
  memoSmall[memoNext] = small
  memoLarge[memoNext] = large
  memoValue[memoNext] = value
  memoNext = (memoNext + 1) % MEMO
  return value
}

function compute(large: number, small: number): Dd {
  const ratio = logGammaRatioDd(large, small)
  return ddAdd(logGammaDd([small, 0]), [-ratio[0], -ratio[1]])
}
