import { describe, expect, it } from 'vitest'
import { regretTable } from '../../../tools/simulate/regret-table'

describe('regretTable', () => {
  const rows = regretTable({ probs: [0.1, 0.2], horizon: 10_000, batchSize: 500, runs: 5, seed: 'table' })
  const by = Object.fromEntries(rows.map((r) => [r.algorithm, r]))

  it('should give the fixed 50/50 split a regret of about horizon·Δ/2', () => {
    expect(by.fixed!.regret).toBeGreaterThan(450)
    expect(by.fixed!.regret).toBeLessThan(550)
    expect(by.fixed!.relative).toBe(1)
  })

  it.each(['thompson', 'ucb1', 'epsilon_greedy'])('should show %s losing far fewer conversions than the fixed split', (algorithm) => {
    expect(by[algorithm]!.relative).toBeLessThan(0.35)
    expect(by[algorithm]!.bestShare).toBeGreaterThan(0.8)
    expect(by[algorithm]!.conversionsPer1000).toBeGreaterThan(by.fixed!.conversionsPer1000)
  })

  it('should be reproducible', () => {
    expect(regretTable({ probs: [0.1, 0.2], horizon: 10_000, batchSize: 500, runs: 5, seed: 'table' })).toEqual(rows)
  })
})
