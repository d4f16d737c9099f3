import { type Assignment, isFreshAssignment } from '../core/assignment-schema'
import type { CompiledExperiment } from '../core/compile'
import { DomainError, StoreUnavailableError } from '../core/errors'
import { type EventsResponse, INVALID_REASONS, type TrackedEvent } from '../core/event-schema'
import { utcDay } from '../core/utc-day'
import type { ConfigCache } from '../config/config-cache'
import type { CounterStore, EventOutcome } from '../store/counter-store'
import type { ConfigSnapshot } from '../config/config-doc'
import { applyWindows } from './conversion-windows'
import { type EventPlan, eventTime, planEvents, summarise } from './event-plan'

/** What ingestion needs: the live config, the counter store, and this deployment's event age window. */
export type IngestionDeps = { config: ConfigCache; store: CounterStore; maxAgeMs: number }

/** One conversion of a unit just served (seed 000's `/log`): no unit, no ts (now), no experiment list. */
export type ServedEvent = Pick<TrackedEvent, 'id' | 'name' | 'value'>

/**
 * The store-unavailable policy of every ingestion path, in one place: a write the store did not
 * confirm becomes a 503 refusal (`unavailable`, which the HTTP layer answers with Retry-After) that
 * the caller may retry as it is, because ids make counting idempotent (docs/design.md, "Counting").
 */
async function confirmed<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error
    console.warn(`events: ${error.message}`)
    throw new DomainError(
      'unavailable',
      'store_unavailable',
      'the counter store did not confirm this batch; retry the same batch: events sent with an id are counted exactly once (events without one may count twice)',
    )
  }
}

/**
 * Event ingestion: plans events against the live config (src/flows/event-plan.ts), counts them in
 * one store round trip, and summarises what happened to each. Attribution to a variant happens in
 * the store, from the unit's sticky record, never from anything the caller claims.
 */
export class Ingestion {
  constructor(private readonly deps: IngestionDeps) {}

  /**
   * Counts events and says what happened to each. With `single`, an event that is malformed (value
   * out of range, ts no date can hold) is refused with 400 instead of ignored: a batch still counts
   * its other events, a lone event has nothing else to count.
   */
  async ingest(events: readonly TrackedEvent[], options: { single?: boolean; now?: number } = {}): Promise<EventsResponse> {
    const now = options.now ?? Date.now()
    const snapshot = await this.deps.config.snapshot()
    const plan = planEvents(snapshot, events, now, this.deps.maxAgeMs)
    const invalid = options.single ? plan.unmatched.find((u) => INVALID_REASONS.includes(u.reason)) : undefined
    if (invalid) throw new DomainError('invalid', 'invalid_request', invalid.message)
    await this.windowed(plan, snapshot, events, now)
    return summarise(plan, await this.record(plan), events.length)
  }

  /**
   * Applies the conversion windows of the plan's experiments (src/flows/conversion-windows.ts),
   * reading the first-exposure times of their units: one store call per experiment that has a
   * windowed metric, all in parallel, none otherwise.
   */
  private async windowed(plan: EventPlan, snapshot: ConfigSnapshot, events: readonly TrackedEvent[], now: number): Promise<void> {
    await Promise.all(
      plan.batches.map(async (batch) => {
        const metrics = snapshot.experiments.get(batch.key)?.experiment.metrics ?? []
        if (!metrics.some((m) => m.window)) return
        const times = await confirmed(() => this.deps.store.getExposureTimes(batch.experiment, batch.events.map((e) => e.unit)))
        batch.events = applyWindows(batch.events, metrics, times, (i) => eventTime(events[batch.indexes[i]!]!, now))
      }),
    )
  }

  /**
   * Records the exposure of a unit just assigned in `target`, at once rather than batched after the
   * response (its event must find the sticky record), then counts `event`, if any, in that one
   * experiment. Only newly hashed units are exposures, as for every other assignment.
   */
  async ingestServed(target: CompiledExperiment, unit: string, a: Assignment, event: ServedEvent | null, now = Date.now()): Promise<void> {
    if (isFreshAssignment(a)) {
      const exposures = [{ unit, variant: a.variant, allocationVersion: a.allocationVersion, day: utcDay(now), at: Math.floor(now) }]
      await confirmed(() => this.deps.store.recordExposures([{ experiment: target.counterKey, epoch: a.epoch, exposures }]))
    }
    if (event) await this.ingest([{ ...event, unit, experiments: [target.experiment.key] }], { now })
  }

  /** The store's outcomes for a plan's batches (one round trip; none when nothing can count). */
  private async record(plan: EventPlan): Promise<Record<string, EventOutcome[]>> {
    if (plan.batches.length === 0) return {}
    return confirmed(() => this.deps.store.recordEvents(plan.batches.map(({ indexes: _, ...batch }) => batch)))
  }
}
