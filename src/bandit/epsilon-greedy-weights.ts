import { bestArms } from './best-arms'

/**
 * ε-greedy as an allocation (Sutton & Barto 2018, "Reinforcement Learning", §2.2):
 * w_i = (1 − ε)/|B|·[i ∈ B] + ε/k, where B is the set of arms with the best empirical mean.
 * Throws RangeError unless means is non-empty and finite and ε ∈ [0, 1].
 * @example
 * epsilonGreedyWeights([0.1, 0.2, 0.2], 0.3) // [0.1, 0.45, 0.45]
 */
export function epsilonGreedyWeights(means: readonly number[], epsilon: number): number[] {
  if (means.length === 0 || !means.every((m) => Number.isFinite(m))) {
    throw new RangeError('epsilonGreedyWeights: means must be a non-empty array of finite numbers')
  }
  if (!Number.isFinite(epsilon) || epsilon < 0 || epsilon > 1) {
    throw new RangeError(`epsilonGreedyWeights: epsilon must be in [0, 1], got ${epsilon}`)
  }
  const k = means.length
  const best = bestArms(means)
  return means.map((_, i) => (best.includes(i) ? (1 - epsilon) / best.length : 0) + epsilon / k)
}
