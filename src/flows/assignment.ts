import { type AssignContext, assign, type StickyReader, type StickyRecord } from '../core/assign'
import type { Assignment } from '../core/assignment-schema'
import type { CompiledExperiment } from '../core/compile'
import { DomainError } from '../core/errors'
import type { ConfigSnapshot } from '../config/config-doc'
import type { CounterStore } from '../store/counter-store'
import { type ConfirmedWrite, type ExposedUnit, logExposures, writeExposures } from './exposure-log'
import { type ContextOverrides, requestContext, type VisitorFacts } from './request-context'
import { prefetchSticky } from './sticky-prefetch'

/** The config snapshot assignments are made from (adapters read it through this layer). */
export type { ConfigSnapshot } from '../config/config-doc'

/** Which experiments to assign: named keys, targets the caller chose, or (absent) the active ones. */
export type Selection = { keys: readonly string[] } | { targets: readonly CompiledExperiment[] }

/** One unit to assign, with what is known about its request. */
export type AssignInput = {
  unit: string
  /** The request's facts, read lazily (src/http/request-facts.ts). */
  facts: VisitorFacts
  overrides?: ContextOverrides
  /** The config to assign from (a caller that chose targets from it passes it); read when absent. */
  snapshot?: ConfigSnapshot
  select?: Selection
  /** Sticky records the caller holds already (the site's signed cookie); they win over the store's. */
  known?: Readonly<Record<string, StickyRecord>>
  /** False when the store cannot hold records for this unit (an id made on this request): no store I/O. */
  stored?: boolean
  /** Queue the exposures now (default false): `pending` then carries the write. */
  track?: boolean
  /** The clock exposures are dated by (ms; default now). */
  now?: number
}

/** The assignments of one unit (as its exposures are written from them), and the work to hand to `waitUntil`. */
export type AssignOutcome = Omit<ExposedUnit, 'assignments' | 'after'> & {
  /** One per selected experiment, in selection order (unreadable named experiments first, at their fallback). */
  assignments: Assignment[]
  /** The sticky records the assignments used, by experiment key (the site writes them to its cookie). */
  sticky: Record<string, StickyRecord>
  /** The exposure write for `waitUntil`, or null when there is nothing to write. */
  pending: Promise<unknown> | null
}

/** The one assignment flow the native API, the site middleware and both seed adapters use. */
export type AssignmentFlow = {
  /** Assigns one unit to the selected experiments (see AssignInput). */
  assign(input: AssignInput): Promise<AssignOutcome>
  /**
   * Queues the exposures of an outcome made without `track` for the isolate's batched write;
   * returns the write for `waitUntil`, or null.
   */
  expose(outcome: ExposedUnit, now?: number): Promise<unknown> | null
  /**
   * Writes the exposures of an outcome made without `track` now, through the short confirm buffer
   * (the site's page views, `/v1/assign?confirm`): `acked` resolves to the experiments whose exposure
   * the store acknowledged, all or none, `write` is the call for `waitUntil` when this request made
   * it; neither rejects (src/flows/exposure-log.ts). Null when there is nothing to write.
   */
  confirm(outcome: ExposedUnit, now?: number): ConfirmedWrite | null
}

/** What the flow needs: the config read path and the counter store. */
export type AssignmentDeps = { config: { snapshot(): Promise<ConfigSnapshot> }; store: CounterStore }

/**
 * The assignment flow over one request's services.
 * @example const { assignments, pending } = await assignmentFlow({ config, store }).assign({ unit, facts, track: true })
 */
export function assignmentFlow({ config, store }: AssignmentDeps): AssignmentFlow {
  const expose: AssignmentFlow['expose'] = (outcome, now = Date.now()) => logExposures(store, outcome, now)
  return {
    expose,
    confirm: (outcome, now = Date.now()) => writeExposures(store, outcome, now),
    async assign(input) {
      const snapshot = input.snapshot ?? (await config.snapshot())
      const { targets, unreadable } = selectTargets(snapshot, input.select)
      const ctx = requestContext(input.unit, input.facts, input.overrides)
      const { assignments, sticky } = await assignUnit(targets, ctx, input.stored === false ? undefined : store, input.known)
      const all = unreadable.length ? [...unreadable, ...assignments] : assignments
      const outcome: AssignOutcome = { unit: input.unit, snapshot, assignments: all, sticky, pending: null, context: ctx }
      if (input.track) outcome.pending = expose(outcome, input.now)
      return outcome
    },
  }
}

/**
 * The targets of a selection. Named keys must all exist (else `not_found`); a named experiment
 * whose config entry is corrupt is never a 5xx: the unit gets its fallback and is not counted.
 */
function selectTargets(snapshot: ConfigSnapshot, select: Selection | undefined): { targets: readonly CompiledExperiment[]; unreadable: Assignment[] } {
  if (!select) return { targets: snapshot.active, unreadable: [] }
  if ('targets' in select) return { targets: select.targets, unreadable: [] }
  const unknown = select.keys.filter((k) => !snapshot.experiments.has(k) && !snapshot.broken.has(k))
  if (unknown.length) {
    throw new DomainError('not_found', 'unknown_experiment', `unknown experiment${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`)
  }
  // A key named twice is assigned once (the answer is keyed by experiment).
  const keys = select.keys.length === 1 ? select.keys : [...new Set(select.keys)]
  const unreadable: Assignment[] = []
  const targets: CompiledExperiment[] = []
  for (const k of keys) {
    const target = snapshot.experiments.get(k)
    if (target) targets.push(target)
    const broken = snapshot.broken.get(k)
    if (broken?.fallback) unreadable.push({ experiment: k, variant: broken.fallback, reason: 'fallback', enrolled: false, epoch: 0, allocationVersion: 0 })
  }
  return { targets, unreadable }
}

/**
 * Assigns one unit to each target. Sticky records come from `known` first, then from the store in
 * one round trip, and only where they can matter (docs/design.md, "Sticky records"); `sticky`
 * returns the records that were used.
 * @example const { assignments } = await assignUnit(snapshot.active, ctx, store)
 */
export async function assignUnit(
  targets: readonly CompiledExperiment[],
  ctx: AssignContext,
  store?: CounterStore,
  known?: Readonly<Record<string, StickyRecord>>,
): Promise<{ assignments: Assignment[]; sticky: Record<string, StickyRecord> }> {
  const used: Record<string, StickyRecord> = {}
  const fromStore = store ? await prefetchSticky(store, known ? targets.filter((t) => !known[t.experiment.key]) : targets, ctx.unit) : undefined
  const reader: StickyReader | undefined =
    fromStore || known
      ? async (experiment, unit) => {
          const record = known?.[experiment] ?? (fromStore ? await fromStore(experiment, unit) : null)
          if (record) used[experiment] = record
          return record
        }
      : undefined
  const assignments = await Promise.all(targets.map((t) => assign(t, ctx, reader)))
  return { assignments, sticky: used }
}
