import {
  type CounterStore,
  type EventOutcome,
  type ExposureInput,
  type EventInput,
  type MetricSpec,
} from '../counter-store'
import type { StickyRecord } from '../../core/assign'
import type { RawCounters } from '../../core/counters'
import { StoreUnavailableError } from '../../core/errors'
import { assertEpoch, assertRecordableEvents, assertRecordableExposures } from '../counters'
import type { CounterShard, ShardEventBatch, ShardExposureBatch } from './counter-shard'

/** The shard's RPC surface as plain promises (the generated stub types are needlessly deep). */
type ShardApi = {
  getSticky(unit: string): Promise<StickyRecord | null>
  recordExposures(batches: readonly ShardExposureBatch[]): Promise<number>
  recordEvents(batches: readonly ShardEventBatch[], now: number): Promise<EventOutcome[][]>
  getCounters(): Promise<RawCounters>
  getExposureTimes(units: readonly string[]): Promise<Record<string, number>>
  advanceEpoch(epoch: number): Promise<number>
}

/** Options for tests: the clock that dates event ids. */
export type DurableObjectStoreOptions = { now?: () => number }

/**
 * The embedded counter store: one `CounterShard` Durable Object per experiment. A call spanning
 * several experiments makes one RPC per shard, all in parallel, so it costs one round trip.
 */
export class DurableObjectCounterStore implements CounterStore {
  readonly kind = 'durable-object'
  private readonly now: () => number

  /** Wraps the `COUNTERS` namespace binding. */
  constructor(
    private readonly namespace: DurableObjectNamespace<CounterShard>,
    options: DurableObjectStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now
  }

  /** Sticky records of one unit in several experiments. */
  async getSticky(experiments: readonly string[], unit: string): Promise<Record<string, StickyRecord>> {
    const unique = [...new Set(experiments)]
    const records = await this.rpc(() => Promise.all(unique.map((exp) => this.shard(exp).getSticky(unit))))
    const out: Record<string, StickyRecord> = {}
    unique.forEach((exp, i) => {
      const r = records[i]
      if (r) out[exp] = r
    })
    return out
  }

  /** Records exposures; per experiment, how many were newly counted. */
  async recordExposures(batches: readonly { experiment: string; epoch: number; exposures: readonly ExposureInput[] }[]): Promise<Record<string, number>> {
    for (const b of batches) {
      assertEpoch(b.experiment, b.epoch)
      assertRecordableExposures(b.experiment, b.exposures)
    }
    const groups = byExperiment(batches.filter((b) => b.exposures.length > 0))
    const counts = await this.rpc(() => Promise.all([...groups].map(([exp, group]) => this.shard(exp).recordExposures(group.map(({ epoch, exposures }) => ({ epoch, exposures }))))))
    const out: Record<string, number> = Object.fromEntries(batches.map((b) => [b.experiment, 0]))
    ;[...groups.keys()].forEach((exp, i) => (out[exp] = counts[i] ?? 0))
    return out
  }

  /** Counts events; per experiment, outcomes in input order. */
  async recordEvents(
    batches: readonly { experiment: string; epoch: number; metrics: readonly MetricSpec[]; events: readonly EventInput[] }[],
  ): Promise<Record<string, EventOutcome[]>> {
    for (const b of batches) {
      assertEpoch(b.experiment, b.epoch)
      assertRecordableEvents(b.experiment, b.metrics, b.events)
    }
    const groups = byExperiment(batches.filter((b) => b.events.length > 0))
    const now = this.now()
    const results = await this.rpc(() =>
      Promise.all([...groups].map(([exp, group]) => this.shard(exp).recordEvents(group.map(({ epoch, metrics, events }) => ({ epoch, metrics, events })), now))),
    )
    const out: Record<string, EventOutcome[]> = Object.fromEntries(batches.map((b) => [b.experiment, []]))
    ;[...groups.keys()].forEach((exp, i) => (out[exp] = (results[i] ?? []).flat()))
    return out
  }

  /** When units were first exposed in one experiment (one shard call). */
  async getExposureTimes(experiment: string, units: readonly string[]): Promise<Record<string, number>> {
    if (units.length === 0) return {}
    return this.rpc(() => this.shard(experiment).getExposureTimes(units))
  }

  /** All counters of one experiment. */
  async getCounters(experiment: string): Promise<RawCounters> {
    return this.rpc(() => this.shard(experiment).getCounters())
  }

  /** Raises one experiment's epoch in its shard; returns the epoch the shard now holds. */
  async advanceEpoch(experiment: string, epoch: number): Promise<number> {
    assertEpoch(experiment, epoch)
    return this.rpc(() => this.shard(experiment).advanceEpoch(epoch))
  }

  private shard(experiment: string): ShardApi {
    return this.namespace.get(this.namespace.idFromName(experiment)) as unknown as ShardApi
  }

  // Any failure reaching a shard means the store is unavailable to the caller (ingestion answers 503).
  private async rpc<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw new StoreUnavailableError(`durable-object counter store: ${(error as Error)?.message ?? String(error)}`, { cause: error })
    }
  }
}

/** Groups batches by experiment, keeping first-seen order of experiments and input order within one. */
function byExperiment<B extends { experiment: string }>(batches: readonly B[]): Map<string, B[]> {
  const groups = new Map<string, B[]>()
  for (const b of batches) {
    const group = groups.get(b.experiment)
    if (group) group.push(b)
    else groups.set(b.experiment, [b])
  }
  return groups
}
