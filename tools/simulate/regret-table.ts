import { seededRandom } from '../../src/core/random'
import { simulateRegret } from './simulate-regret'

/** Settings of the bandit comparison. */
export type RegretOptions = {
  /** True conversion rate per arm. */
  probs: number[]
  /** Units per run. */
  horizon: number
  /** Units between reweights (the Worker's period, in units). */
  batchSize: number
  /** Independent runs per algorithm, averaged. */
  runs: number
  seed: string | number
  burnIn?: number
  floor?: number
  epsilon?: number
  /** Thompson's Monte Carlo draws per reweight. */
  draws?: number
}

/** One algorithm's averages over the runs. */
export type RegretRow = {
  algorithm: 'fixed' | 'thompson' | 'ucb1' | 'epsilon_greedy'
  /** Mean cumulative regret Σ (max p − p_arm) over the horizon. */
  regret: number
  /** Standard deviation of the cumulative regret across runs. */
  sd: number
  /** Mean share of units sent to the best arm. */
  bestShare: number
  /** Mean conversions per 1000 units. */
  conversionsPer1000: number
  /** regret / the fixed split's regret. */
  relative: number
}

const ALGORITHMS = ['fixed', 'thompson', 'ucb1', 'epsilon_greedy'] as const

/**
 * Cumulative regret of Thompson sampling, UCB1 and ε-greedy against a fixed equal split
 * (docs/design.md, "Bandits"), each reweighting every `batchSize` units with the production burn-in
 * and floor, averaged over `runs` seeded runs of simulateRegret (batched bandits, Perchet et al. 2016).
 * Every algorithm sees the same seeds, so the comparison is paired.
 * @example regretTable({ probs: [0.1, 0.2], horizon: 20000, batchSize: 500, runs: 20, seed: 1 })[0] // { algorithm: 'fixed', regret ≈ 1000, … }
 */
export function regretTable(options: RegretOptions): RegretRow[] {
  const { probs, horizon, batchSize, runs, seed, burnIn = 100, floor = 0.01, epsilon = 0.1, draws = 2000 } = options
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`)
  const best = probs.indexOf(Math.max(...probs))
  const rows = ALGORITHMS.map((algorithm) => {
    const regrets: number[] = []
    let bestShare = 0
    let conversions = 0
    for (let r = 0; r < runs; r++) {
      const result = simulateRegret({ probs, horizon, algorithm, batchSize, config: { burnIn, floor, epsilon, draws }, rng: seededRandom(`${seed}:${r}`) })
      regrets.push(result.cumulativeRegret)
      bestShare += result.pulls[best]! / horizon
      conversions += result.conversions.reduce((s, c) => s + c, 0)
    }
    const mean = regrets.reduce((s, v) => s + v, 0) / runs
    const sd = runs > 1 ? Math.sqrt(regrets.reduce((s, v) => s + (v - mean) ** 2, 0) / (runs - 1)) : 0
    return { algorithm, regret: mean, sd, bestShare: bestShare / runs, conversionsPer1000: (conversions / runs / horizon) * 1000, relative: 0 }
  })
  const fixed = rows[0]!.regret
  for (const row of rows) row.relative = fixed > 0 ? row.regret / fixed : 0
  return rows
}
