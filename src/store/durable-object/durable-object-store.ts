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
import { allShards, EpochSpreader, routeBatches, shardOf, sumCounters } from '../shard-router'
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
 * The embedded counter store: one `CounterShard` Durable Object per experiment shard (named by the
 * shard router, src/store/shard-router.ts; one shard is the object per experiment of before). A
 * call makes one RPC per shard it touches, all in parallel, so it costs one round trip.
 */
export class DurableObjectCounterStore implements CounterStore {
  readonly kind = 'durable-object'
  private readonly now: () => number
  private readonly epochs = new EpochSpreader()

  /** Wraps the `COUNTERS` namespace binding. */
  constructor(
    private readonly namespace: DurableObjectNamespace<CounterShard>,
    options: DurableObjectStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now
  }

  /** Sticky records of one unit in several experiments: one RPC to the unit's shard of each. */
  async getSticky(experiments: readonly string[], unit: string): Promise<Record<string, StickyRecord>> {
    const unique = [...new Set(experiments)]
    const records = await this.rpc(() => Promise.all(unique.map((exp) => this.shard(shardOf(exp, unit)).getSticky(unit))))
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
    const routed = [...routeBatches(batches, (b) => b.exposures, (b, exposures) => ({ ...b, exposures }))]
    const counts = await this.spreadingEpochs(batches, () =>
      Promise.all(routed.map(([name, parts]) => this.shard(name).recordExposures(parts.map(({ batch: { epoch, exposures } }) => ({ epoch, exposures }))))),
    )
    const out: Record<string, number> = Object.fromEntries(batches.map((b) => [b.experiment, 0]))
    // A shard holds one experiment's shard only, so all parts sent to it belong to one experiment.
    routed.forEach(([, parts], i) => (out[parts[0]!.experiment] = (out[parts[0]!.experiment] ?? 0) + (counts[i] ?? 0)))
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
    const routed = [...routeBatches(batches, (b) => b.events, (b, events) => ({ ...b, events }))]
    const now = this.now()
    const results = await this.spreadingEpochs(batches, () =>
      Promise.all(routed.map(([name, parts]) => this.shard(name).recordEvents(parts.map(({ batch: { epoch, metrics, events } }) => ({ epoch, metrics, events })), now))),
    )
    const out: Record<string, EventOutcome[]> = Object.fromEntries(batches.map((b) => [b.experiment, []]))
    routed.forEach(([, parts], i) =>
      parts.forEach((part, j) => {
        const outcomes = results[i]?.[j] ?? []
        part.positions.forEach((position, k) => (out[part.experiment]![position] = outcomes[k]!))
      }),
    )
    return out
  }

  /** When units were first exposed in one experiment: one call per shard the units live on, in parallel. */
  async getExposureTimes(experiment: string, units: readonly string[]): Promise<Record<string, number>> {
    if (units.length === 0) return {}
    const byShard = new Map<string, string[]>()
    for (const unit of units) {
      const name = shardOf(experiment, unit)
      const list = byShard.get(name)
      if (list) list.push(unit)
      else byShard.set(name, [unit])
    }
    const parts = await this.rpc(() => Promise.all([...byShard].map(([name, list]) => this.shard(name).getExposureTimes(list))))
    return Object.assign({}, ...parts)
  }

  /** All counters of one experiment: every shard read in parallel and summed; any shard failing fails the read. */
  async getCounters(experiment: string): Promise<RawCounters> {
    return sumCounters(await this.rpc(() => this.everyShard(experiment, (s) => s.getCounters())))
  }

  /** Raises one experiment's epoch in every shard; returns the epoch all of them now hold. */
  async advanceEpoch(experiment: string, epoch: number): Promise<number> {
    assertEpoch(experiment, epoch)
    return Math.min(...(await this.rpc(() => this.everyShard(experiment, (s) => s.advanceEpoch(epoch)))))
  }

  // A write, together with the epoch raises it must spread to every shard (EpochSpreader).
  private async spreadingEpochs<T>(batches: readonly { experiment: string; epoch: number }[], write: () => Promise<T>): Promise<T> {
    const raise = this.epochs.needed(batches)
    const [result] = await this.rpc(() =>
      Promise.all([write(), ...raise.map(({ experiment, epoch }) => this.everyShard(experiment, (s) => s.advanceEpoch(epoch)))]),
    )
    this.epochs.done(raise)
    return result
  }

  // Every shard of an experiment at once; one failing fails the whole call (never a partial sum).
  private everyShard<T>(experiment: string, call: (shard: ShardApi) => Promise<T>): Promise<T[]> {
    return Promise.all(allShards(experiment).map((name) => call(this.shard(name))))
  }

  private shard(name: string): ShardApi {
    return this.namespace.get(this.namespace.idFromName(name)) as unknown as ShardApi
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
