import type { Metric, RatioPart } from './experiment'

/** One resolved side of a ratio metric: the event it listens to, and whether it sums values or counts events. */
export type ResolvedPart = { event: string; aggregate: 'sum' | 'count' }

/**
 * The numerator and denominator of a ratio metric as events: a string naming a binomial or mean
 * metric of the experiment takes that metric's event (a mean metric's values summed, a binomial
 * metric's events counted); any other string is an event name, counted; `{event, aggregate}` is
 * itself. Null for metrics that are not ratios.
 * @example ratioParts({ key: 'aov', type: 'ratio', role: 'primary', numerator: 'revenue', denominator: 'purchase' }, [{ key: 'revenue', type: 'mean', event: 'purchase', role: 'secondary' }])
 * // { numerator: { event: 'purchase', aggregate: 'sum' }, denominator: { event: 'purchase', aggregate: 'count' } }
 */
export function ratioParts(metric: Metric, metrics: readonly Metric[]): { numerator: ResolvedPart; denominator: ResolvedPart } | null {
  if (metric.type !== 'ratio' || metric.numerator === undefined || metric.denominator === undefined) return null
  return { numerator: resolve(metric.numerator, metrics), denominator: resolve(metric.denominator, metrics) }
}

function resolve(part: RatioPart, metrics: readonly Metric[]): ResolvedPart {
  if (typeof part !== 'string') return part
  const named = metrics.find((m) => m.key === part && m.type !== 'ratio' && m.event !== undefined)
  if (named) return { event: named.event!, aggregate: named.type === 'mean' ? 'sum' : 'count' }
  return { event: part, aggregate: 'count' }
}

/**
 * What one event adds to a unit's numerator (dx) and denominator (dy) of a ratio metric, or null
 * when the metric does not listen to it: a summed side adds the event's value, a counted side 1.
 * @example ratioDelta({ numerator: { event: 'purchase', aggregate: 'sum' }, denominator: { event: 'purchase', aggregate: 'count' } }, 'purchase', 30) // [30, 1]
 */
export function ratioDelta(parts: { numerator: ResolvedPart; denominator: ResolvedPart }, name: string, value: number): [dx: number, dy: number] | null {
  const side = (p: ResolvedPart) => (p.event !== name ? 0 : p.aggregate === 'sum' ? value : 1)
  if (parts.numerator.event !== name && parts.denominator.event !== name) return null
  return [side(parts.numerator), side(parts.denominator)]
}
