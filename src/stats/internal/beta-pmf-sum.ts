import { ddAdd } from './dd-add'
import { ddExpMul } from './dd-exp-mul'
import { ddLog } from './dd-log'
import { logBetaDd } from './log-beta-dd'

const TOL = 1e-17

/**
 * Σ_{i=0}^{m−1} tᵢ·w(i) for the probability mass tᵢ = B(a₁+i, b₁+b₂) / ((b₂+i)·B(1+i, b₂)·B(a₁, b₁))
 * on i ≥ 0 (Σ tᵢ = 1) behind Evan Miller's Beta-comparison formulas. The law is unimodal with mode
 * (a₁b₂ − a₁ − b₁ − b₂)/(b₁ + 1), so the walk starts at the mode clamped into [0, m−1], from a term
 * formed by double-double ln B, and moves outwards with the exact ratio
 * tᵢ₊₁/tᵢ = (a₁+i)(b₂+i)/((a₁+b₁+b₂+i)(i+1)), stopping once the terms left (each smaller than the last,
 * |w| ≤ wMax) cannot change the sum by 1e-17 of itself. Cost O(spread of the law), not O(m).
 * @example betaPmfSum(1, 1, 1, 1, () => 1) // 0.5 (= P(U₂ > U₁) for two uniforms)
 */
export function betaPmfSum(
  a1: number,
  b1: number,
  b2: number,
  m: number,
  w: (i: number) => number,
  wMax = 1,
): number {
  const mode = (a1 * b2 - a1 - b1 - b2) / (b1 + 1)
  const k0 = Math.min(m - 1, Math.max(0, Math.round(mode)))
  const lnNum = logBetaDd(a1 + k0, b1 + b2)
  const lnDen = ddAdd(ddAdd(logBetaDd(1 + k0, b2), logBetaDd(a1, b1)), ddLog(b2 + k0))
  const start = ddExpMul(ddAdd(lnNum, [-lnDen[0], -lnDen[1]]), 1)
  let sum = start * w(k0)
  let term = start
  for (let i = k0; i < m - 1; i++) {
    term *= ((a1 + i) * (b2 + i)) / ((a1 + b1 + b2 + i) * (i + 1))
    sum += term * w(i + 1)
    if (term * wMax * (m - 2 - i) <= TOL * Math.abs(sum)) break
  }
  term = start
  for (let i = k0; i > 0; i--) {
    term *= ((a1 + b1 + b2 + i - 1) * i) / ((a1 + i - 1) * (b2 + i - 1))
    sum += term * w(i - 1)
    if (term * wMax * (i - 1) <= TOL * Math.abs(sum)) break
  }
  return sum
}
