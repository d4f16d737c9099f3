import { type BanditPolicy, banditPolicy, nextRebalanceAt } from '../bandit/bandit-policy'
import { bucketRanges, type Range } from './bucket'
import { controlOf, type Experiment, fallbackOf } from './experiment'
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
  /** Whether a unit's sticky record can differ from its hash (SPEC: weights changed or a restart). */
  readonly stickyMatters: boolean
  /** Set when a bandit chooses the weights: its policy and when it may next reweight (epoch ms). */
  readonly bandit: { readonly policy: BanditPolicy; readonly dueAt: number } | null
}

/** Prepares one validated experiment for assignment. */
export function compileExperiment(experiment: Experiment): CompiledExperiment {
  return {
    experiment,
    salt: experiment.salt ?? experiment.key,
    ranges: bucketRanges(experiment.variants.map((v) => v.weight), experiment.coverage),
    control: controlOf(experiment),
    fallback: fallbackOf(experiment),
    layer: experiment.layer ? { salt: `layer:${experiment.layer.id}`, slice: [experiment.layer.start, experiment.layer.end] } : null,
    targeting: compileTargeting(experiment.targeting),
    stickyMatters: experiment.allocationVersion > 1 || experiment.epoch > 1,
    bandit: compileBandit(experiment),
  }
}

function compileBandit(experiment: Experiment): CompiledExperiment['bandit'] {
  const policy = banditPolicy(experiment)
  return policy ? { policy, dueAt: nextRebalanceAt(experiment, policy) } : null
}
