import {
  type CounterStore,
  type EventOutcome,
  type ExposureInput,
  type EventInput,
  type MetricSpec,
} from '../counter-store'
import type { StickyRecord } from '../../core/assign'
import type { RawCounters } from '../../core/counters'
import { assertBatches, assertEpoch } from '../counters'
import { unavailableOnFailure } from '../unavailable'
import { allObjects, type CounterObject, EpochSpreader, objectNameOf, objectOf, routeBatches, scopeOf, sumCounters } from '../shard-router'
import type { CounterShard, ShardEventBatch, ShardExposureBatch } from './counter-shard'

/** The shard's RPC surface as plain promises (the generated stub types are needlessly deep). */
type ShardApi = {
  getSticky(scopes: readonly string[], unit: string): Promise<(StickyRecord | null)[]>
  recordExposures(batches: readonly ShardExposureBatch[]): Promise<number[]>
  recordEvents(batches: readonly ShardEventBatch[], now: number): Promise<EventOutcome[][]>
  getCounters(scope: string): Promise<RawCounters>
  getExposureTimes(scope: string, units: readonly string[]): Promise<Record<string, number>>
  advanceEpoch(scope: string, epoch: number): Promise<number>
}

/** Options for tests: the clock that dates event ids. */
export type DurableObjectStoreOptions = { now?: () => number }

/**
 * The embedded counter store: `CounterShard` Durable Objects, one per counter object the shard
 * router names (src/store/shard-router.ts, `objectOf`): shard i of every pooled experiment with N
 * shards shares one, older experiments have their own. A call makes one RPC per object it
 * touches, all in parallel, so it costs one round trip.
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

  /** Sticky records of one unit in several experiments: one RPC per counter object holding the unit's shards. */
  async getSticky(experiments: readonly string[], unit: string): Promise<Record<string, StickyRecord>> {
    const byObject = new Map<string, { experiments: string[]; scopes: string[] }>()
    for (const exp of new Set(experiments)) {
      const { name, scope } = objectOf(exp, unit)
      let group = byObject.get(name)
      if (!group) byObject.set(name, (group = { experiments: [], scopes: [] }))
      group.experiments.push(exp)
      group.scopes.push(scope)
    }
    const groups = [...byObject]
    const records = await this.rpc(() => Promise.all(groups.map(([name, g]) => this.shard(name).getSticky(g.scopes, unit))))
    const out: Record<string, StickyRecord> = {}
    groups.forEach(([, g], i) =>
      g.experiments.forEach((exp, j) => {
        const r = records[i]?.[j]
        if (r) out[exp] = r
      }),
    )
    return out
  }

  /** Records exposures; per experiment, how many were newly counted. */
  async recordExposures(batches: readonly { experiment: string; epoch: number; exposures: readonly ExposureInput[] }[]): Promise<Record<string, number>> {
    assertBatches(batches)
    const routed = [...routeBatches(batches, (b) => b.exposures, (b, exposures) => ({ ...b, exposures }), objectNameOf)]
    const counts = await this.spreadingEpochs(batches, () =>
      Promise.all(
        routed.map(([name, parts]) =>
          this.shard(name).recordExposures(parts.map(({ experiment, batch: { epoch, exposures } }) => ({ scope: scopeOf(experiment), epoch, exposures }))),
        ),
      ),
    )
    const out: Record<string, number> = Object.fromEntries(batches.map((b) => [b.experiment, 0]))
    routed.forEach(([, parts], i) => parts.forEach((part, j) => (out[part.experiment] = (out[part.experiment] ?? 0) + (counts[i]?.[j] ?? 0))))
    return out
  }

  /** Counts events; per experiment, outcomes in input order. */
  async recordEvents(
    batches: readonly { experiment: string; epoch: number; metrics: readonly MetricSpec[]; events: readonly EventInput[] }[],
  ): Promise<Record<string, EventOutcome[]>> {
    assertBatches(batches)
    const routed = [...routeBatches(batches, (b) => b.events, (b, events) => ({ ...b, events }), objectNameOf)]
    const now = this.now()
    const results = await this.spreadingEpochs(batches, () =>
      Promise.all(
        routed.map(([name, parts]) =>
          this.shard(name).recordEvents(
            parts.map(({ experiment, batch: { epoch, metrics, events } }) => ({ scope: scopeOf(experiment), epoch, metrics, events })),
            now,
          ),
        ),
      ),
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
    const scope = scopeOf(experiment)
    const byShard = new Map<string, string[]>()
    for (const unit of units) {
      const name = objectNameOf(experiment, unit)
      const list = byShard.get(name)
      if (list) list.push(unit)
      else byShard.set(name, [unit])
    }
    const parts = await this.rpc(() => Promise.all([...byShard].map(([name, list]) => this.shard(name).getExposureTimes(scope, list))))
    return Object.assign({}, ...parts)
  }

  /** All counters of one experiment: every shard read in parallel and summed; any shard failing fails the read. */
  async getCounters(experiment: string): Promise<RawCounters> {
    return sumCounters(await this.rpc(() => this.everyShard(experiment, (s, scope) => s.getCounters(scope))))
  }

  /** Raises one experiment's epoch in every shard; returns the epoch all of them now hold. */
  async advanceEpoch(experiment: string, epoch: number): Promise<number> {
    assertEpoch(experiment, epoch)
    return Math.min(...(await this.rpc(() => this.everyShard(experiment, (s, scope) => s.advanceEpoch(scope, epoch)))))
  }

  // A write, together with the epoch raises it must spread to every shard (EpochSpreader).
  private async spreadingEpochs<T>(batches: readonly { experiment: string; epoch: number }[], write: () => Promise<T>): Promise<T> {
    const raise = this.epochs.needed(batches)
    const [result] = await this.rpc(() =>
      Promise.all([write(), ...raise.map(({ experiment, epoch }) => this.everyShard(experiment, (s, scope) => s.advanceEpoch(scope, epoch)))]),
    )
    this.epochs.done(raise)
    return result
  }

  // Every shard of an experiment at once; one failing fails the whole call (never a partial sum).
  private everyShard<T>(experiment: string, call: (shard: ShardApi, scope: string) => Promise<T>): Promise<T[]> {
    return Promise.all(allObjects(experiment).map(({ name, scope }: CounterObject) => call(this.shard(name), scope)))
  }

  private shard(name: string): ShardApi {
    return this.namespace.get(this.namespace.idFromName(name)) as unknown as ShardApi
  }

  // Any failure reaching a shard means the store is unavailable to the caller (ingestion answers 503).
  private rpc<T>(call: () => Promise<T>): Promise<T> {
    return unavailableOnFailure(this.kind, call)
  }
}
