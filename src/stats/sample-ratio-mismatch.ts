import type { Dd } from './internal/dd'
import { chiSquareSf } from './chi-square-sf'
import { ddAdd } from './internal/dd-add'
import { ddMul } from './internal/dd-mul'
import { jsonSafe } from './internal/json-safe'
import { twoProduct } from './internal/two-product'

export interface SampleRatioMismatchResult {
  /** null when computed; otherwise why the numeric fields are null. */
  reason: string | null
  /** Pearson's χ² = Σ (oᵢ − eᵢ)²/eᵢ. */
  chiSquare: number | null
  /** k − 1. */
  df: number | null
  pValue: number | null
  /** p < 0.001 (false when pValue is null). */
  mismatch: boolean
  /** eᵢ = N·wᵢ/Σw. */
  expected: number[] | null
}

/** Threshold below which a sample ratio mismatch is flagged (the usual SRM convention). */
const SRM_THRESHOLD = 0.001

/**
 * Sample ratio mismatch check: Pearson's χ² goodness of fit of the observed assignment counts against
 * eᵢ = N·wᵢ/Σw (N = Σoᵢ), df = k − 1, p = Q((k−1)/2, χ²/2); flagged when p < 0.001 (Fabijan et al.
 * 2019, "Diagnosing sample ratio mismatch in online controlled experiments"). Each oᵢ − eᵢ is formed
 * as (oᵢ·Σw − N·wᵢ)/Σw in double-double, so near-balanced large counts lose no digits.
 * @example sampleRatioMismatch([5000, 5200], [1, 1]) // { chiSquare: 3.9215…, df: 1, pValue: 0.04767…, mismatch: false, … }
 */
export function sampleRatioMismatch(observed: number[], weights: number[]): SampleRatioMismatchResult {
  return jsonSafe(compute(observed, weights))
}

function compute(observed: number[], weights: number[]): SampleRatioMismatchResult {
  const fail = (reason: string): SampleRatioMismatchResult => ({
    reason,
    chiSquare: null,
    df: null,
    pValue: null,
    mismatch: false,
    expected: null,
  })
  if (!Array.isArray(observed) || !Array.isArray(weights) || observed.length !== weights.length) {
    return fail('observed and weights must be arrays of the same length')
  }
  const k = observed.length
  if (k < 2) return fail('need at least two groups')
  if (!observed.every((o) => Number.isSafeInteger(o) && o >= 0)) return fail('observed counts must be non-negative integers')
  if (!weights.every((w) => typeof w === 'number' && w > 0 && Number.isFinite(w))) {
    return fail('weights must be positive and finite')
  }
  let total = 0
  let weightSum: Dd = [0, 0]
  for (let i = 0; i < k; i++) {
    total += observed[i]!
    weightSum = ddAdd(weightSum, [weights[i]!, 0])
  }
  if (total === 0) return fail('no units observed')
  const w = weightSum[0]
  let chiSquare = 0
  const expected: number[] = []
  for (let i = 0; i < k; i++) {
    // oᵢ·Σw − N·wᵢ, exact to ~2⁻¹⁰⁴
    const d = ddAdd(ddMul([observed[i]!, 0], weightSum), twoProduct(-total, weights[i]!))
    const dev = d[0] + d[1]
    chiSquare += (dev / w) * (dev / (total * weights[i]!))
    expected.push((total * weights[i]!) / w)
  }
  const pValue = chiSquareSf(chiSquare, k - 1)
  return { reason: null, chiSquare, df: k - 1, pValue, mismatch: pValue < SRM_THRESHOLD, expected }
}
