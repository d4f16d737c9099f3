import type { BinomialPosteriorInput } from '../chance-to-beat-control-binomial'
import { groupReason } from './group-reason'

/**
 * The Beta posteriors of a two-group binomial input, [αc, βc, αt, βt] with α = α₀ + x and
 * β = β₀ + n − x (conjugate update; default prior Beta(1, 1)), or why the exact formulas cannot
 * take it: a group is unusable, or the prior is not positive and finite, or neither α₀ nor β₀ is
 * an integer (Evan Miller's sum needs one).
 * @example betaPosteriors({ control: { n: 10, x: 2 }, treatment: { n: 10, x: 5 } }) // [3, 9, 6, 6]
 */
export function betaPosteriors(input: BinomialPosteriorInput): [number, number, number, number] | string {
  const reason = groupReason('control', input?.control, 'binomial') ?? groupReason('treatment', input?.treatment, 'binomial')
  if (reason !== null) return reason
  const { alpha, beta } = input.prior ?? { alpha: 1, beta: 1 }
  if (!(typeof alpha === 'number' && alpha > 0 && Number.isFinite(alpha) && typeof beta === 'number' && beta > 0 && Number.isFinite(beta))) {
    return 'prior alpha and beta must be positive and finite'
  }
  if (!Number.isInteger(alpha) && !Number.isInteger(beta)) {
    return 'prior: alpha or beta must be an integer for the exact Beta–Binomial formula'
  }
  const { control: c, treatment: t } = input
  return [alpha + c.x, beta + c.n - c.x, alpha + t.x, beta + t.n - t.x]
}
