import { DomainError } from './errors'
import { DEFAULT_SHARDS, type Experiment, type ExperimentCreate, type ExperimentPatch, ExperimentSchema, shardsForTraffic } from './experiment'
import { allocationSnapshot } from './lifecycle'
import { parseOrThrow } from './validate'

/**
 * A new experiment in draft from a validated create body, with a new instance id (its counters'
 * name: a later experiment under the same key never sees this one's counts), spread over
 * `input.shards` counter shards, else as many as its declared `traffic` needs, else `shards`
 * (docs/scale.md), in the embedded store's pooled counter objects. `traffic` only sizes the
 * shards; it is not stored.
 */
export function createExperiment(input: ExperimentCreate, now: Date, id: string = crypto.randomUUID(), shards = DEFAULT_SHARDS): Experiment {
  const at = now.toISOString()
  const { traffic, ...fields } = input
  return parseOrThrow(ExperimentSchema, {
    ...fields,
    id,
    shards: fields.shards ?? (traffic === undefined ? shards : shardsForTraffic(traffic)),
    counters: 'pooled',
    hashVersion: 1,
    state: 'draft',
    rolloutVariant: null,
    epoch: 0,
    allocationVersion: 1,
    allocations: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    endedAt: null,
  })
}

/**
 * Applies an edit. Once started, the variant set, salt and layer are frozen (changing them would
 * move units); weight changes and coverage cuts raise the allocation version so enrolled units are
 * kept where they are (sticky) and SRM is judged against the weights each unit was assigned under.
 */
export function editExperiment(e: Experiment, patch: ExperimentPatch, now: Date): Experiment {
  if (e.state === 'stopped') throw new DomainError('conflict', 'experiment_stopped', `experiment "${e.key}" is stopped and can no longer be edited`)
  const { version: _ignored, ...fields } = patch
  const merged = { ...e, ...dropUndefined(fields) } as Experiment
  const started = e.epoch > 0
  if (started) {
    const before = e.variants.map((v) => v.key).join('\u0000')
    const after = merged.variants.map((v) => v.key).join('\u0000')
    if (before !== after) frozen(e, 'variants', 'variant keys and their order')
    if ((merged.salt ?? e.key) !== (e.salt ?? e.key)) frozen(e, 'salt', 'the salt')
    if (JSON.stringify(merged.layer ?? null) !== JSON.stringify(e.layer ?? null)) frozen(e, 'layer', 'the layer')
    if ((merged.shards ?? 1) !== (e.shards ?? 1)) frozen(e, 'shards', 'the shard count')
  }
  const weightsChanged = e.variants.some((v, i) => merged.variants[i]?.weight !== v.weight)
  const moved = started && (weightsChanged || merged.coverage < e.coverage)
  const at = now.toISOString()
  const next = {
    ...merged,
    version: e.version + 1,
    updatedAt: at,
    allocationVersion: moved ? e.allocationVersion + 1 : e.allocationVersion,
  }
  if (moved) next.allocations = [...e.allocations, allocationSnapshot(next, next.allocationVersion, e.epoch, at)]
  return parseOrThrow(ExperimentSchema, next)
}

function frozen(e: Experiment, field: string, what: string): never {
  throw new DomainError('conflict', 'frozen_field', `${field}: ${what} cannot change once experiment "${e.key}" has started (it would move enrolled units); create a new experiment instead`)
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
