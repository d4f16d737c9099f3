import { bucketRanges, type Range } from './bucket'
import { banditMetricOf, controlOf, type Experiment, fallbackOf } from './experiment'
import { formatCounterKey } from './counter-key'
import { compileTargeting, type TargetingPredicate } from './targeting'

/** An experiment prepared for the hot path: ranges, salts and targeting computed once per load. */
export type CompiledExperiment = {
  readonly experiment: Experiment
  readonly salt: string
  readonly ranges: readonly Range[]
  readonly control: string
  readonly fallback: string
  readonly layer: { readonly salt: string; readonly slice: Range } | null
  readonly targeting: TargetingPredicate
  /** The name its counters and sticky records are kept under in the counter store (`counterKeyOf`). */
  readonly counterKey: string
  /** Whether a unit's sticky record can differ from its hash (weights changed or a restart: docs/design.md, "Sticky records"). */
  readonly stickyMatters: boolean
  /** Whether a bandit chooses the weights (src/bandit/bandit-policy.ts resolves its policy and schedule). */
  readonly adaptive: boolean
}

/**
 * The name an experiment's counters and sticky records live under in the counter store: its key
 * and its instance id, so an experiment deleted and created again under the same key starts from
 * nothing; the bare key for documents stored before instance ids existed, so their counts stay
 * readable. Keys never contain ":", so the two forms never collide. More than one shard adds
 * `/<shards>`, and pooled counters `/<shards>p` (src/core/counter-key.ts).
 * @example counterKeyOf({ key: 'moon_mars', id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', shards: 32 }) // 'moon_mars:1b4e28ba-…/32'
 */
export function counterKeyOf(e: Pick<Experiment, 'key' | 'id' | 'shards' | 'counters'>): string {
  return formatCounterKey(e.id === undefined ? e.key : `${e.key}:${e.id}`, e.shards, e.counters === 'pooled')
}

/** Prepares one validated experiment for assignment. */
export function compileExperiment(experiment: Experiment): CompiledExperiment {
  return {
    experiment,
    counterKey: counterKeyOf(experiment),
    salt: experiment.salt ?? experiment.key,
    ranges: bucketRanges(experiment.variants.map((v) => v.weight), experiment.coverage),
    control: controlOf(experiment),
    fallback: fallbackOf(experiment),
    layer: experiment.layer ? { salt: `layer:${experiment.layer.id}`, slice: [experiment.layer.start, experiment.layer.end] } : null,
    targeting: compileTargeting(experiment.targeting),
    stickyMatters: experiment.allocationVersion > 1 || experiment.epoch > 1,
    adaptive: banditMetricOf(experiment) !== undefined,
  }
}
