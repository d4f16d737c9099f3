import type { Experiment } from '../core/experiment'
import { chiSquareSf } from '../stats'
import type { EpochCounters } from '../core/counters'
import type { SrmResult } from './types'

/** A sample ratio mismatch is flagged at p < 0.001 (docs/design.md, "Sample ratio mismatch"). */
const SRM_ALPHA = 0.001

/**
 * Sample ratio mismatch: Pearson's χ² of observed exposures against the counts the weights imply,
 * where each unit is expected under the weights of the allocation it was assigned under (so a
 * reweighted experiment is judged fairly): E_v = Σ_av n_av · w_av,v / Σ w_av (Fabijan et al. 2019).
 */
export function srmCheck(e: Experiment, counters: EpochCounters | undefined): SrmResult {
  const keys = e.variants.map((v) => v.key)
  const observed = Object.fromEntries(keys.map((k) => [k, counters?.variants[k]?.exposures ?? 0]))
  const total = keys.reduce((n, k) => n + observed[k]!, 0)
  const none = (reason: string): SrmResult => ({ observed, expected: null, chiSquare: null, pValue: null, mismatch: false, reason })
  if (total === 0) return none('no exposures yet')
  const byAllocation = new Map<number, number>()
  for (const k of keys) for (const [av, n] of Object.entries(counters?.variants[k]?.byAllocation ?? {})) byAllocation.set(Number(av), (byAllocation.get(Number(av)) ?? 0) + n)
  const expected = Object.fromEntries(keys.map((k) => [k, 0]))
  for (const [av, n] of byAllocation) {
    const allocation = [...e.allocations].reverse().find((a) => a.version === av && a.epoch <= e.epoch) ?? e.allocations.find((a) => a.version === av)
    const weights = allocation?.weights ?? Object.fromEntries(e.variants.map((v) => [v.key, v.weight]))
    const sum = keys.reduce((s, k) => s + (weights[k] ?? 0), 0)
    for (const k of keys) expected[k]! += (n * (weights[k] ?? 0)) / sum
  }
  let chiSquare = 0
  for (const k of keys) if (expected[k]! > 0) chiSquare += (observed[k]! - expected[k]!) ** 2 / expected[k]!
  const pValue = chiSquareSf(chiSquare, keys.length - 1)
  return { observed, expected, chiSquare, pValue, mismatch: pValue < SRM_ALPHA, reason: null }
}
