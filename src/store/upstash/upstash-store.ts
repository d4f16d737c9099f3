import { Redis } from '@upstash/redis/cloudflare'
import {
  type CounterStore,
  EVENT_OUTCOMES,
  type EventInput,
  type EventOutcome,
  type ExposureInput,
  ID_TTL_MS,
  type MetricSpec,
} from '../counter-store'
import type { StickyRecord } from '../../core/assign'
import type { RawCounters } from '../../core/counters'
import { StoreUnavailableError } from '../../core/errors'
import { assertBatches, assertEpoch } from '../counters'
import { unavailableOnFailure } from '../unavailable'
import { allShards, EpochSpreader, routeBatches, shardOf, sumCounters } from '../shard-router'
import { ADVANCE_EPOCH } from './scripts/current-epoch'
import { RECORD_EVENTS } from './scripts/record-events'
import { RECORD_EXPOSURES } from './scripts/record-exposures'

/** Connection settings; `now` dates event ids (injectable for tests). */
export type UpstashStoreOptions = { url: string; token: string; now?: () => number }

/**
 * One experiment shard's keys (`shard` is a name from src/store/shard-router.ts: the experiment's
 * own name when it has one shard, else `<exp>:<i>`). The `{<shard>}` hash tag puts them in one
 * slot, so a script may touch all of them; the layout is documented in scripts/record-events.ts.
 */
export function experimentKeys(shard: string) {
  const p = `es:{${shard}}`
  return { sticky: `${p}:sticky`, counters: `${p}:c`, units: `${p}:u`, ids: `${p}:ids`, epoch: `${p}:epoch`, times: `${p}:t`, segments: `${p}:g`, segmentValues: `${p}:gv` }
}

const OUTCOMES = new Set<string>(EVENT_OUTCOMES)

/**
 * The production counter store on Upstash Redis. Each experiment shard's part of a batch is one
 * Lua script call; a call spanning shards or experiments sends them all in one `/multi-exec`
 * transaction — one round trip, all-or-nothing — and a read of every shard is one `/pipeline`. Scripts go as EVAL with their text: EVALSHA inside MULTI could fail with NOSCRIPT
 * for one command and succeed for another, leaving partial counts.
 */
export class UpstashCounterStore implements CounterStore {
  readonly kind = 'upstash'
  private readonly redis: Redis
  private readonly now: () => number
  private readonly epochs = new EpochSpreader()

  /** Builds the client; it never retries, because the caller's 1 s guard needs a fast failure. */
  constructor({ url, token, now }: UpstashStoreOptions) {
    this.redis = new Redis({
      url,
      token,
      // `retry: false` still makes two attempts in @upstash/redis 1.39; `retries: 0` makes one.
      retry: { retries: 0, backoff: () => 0 },
      enableTelemetry: false,
      // Batches are explicit (pipeline / multi-exec); auto-pipelining would only add a tick of latency.
      enableAutoPipelining: false,
      // Replies are parsed here by shape; JSON-guessing would yield a number or a string depending on the value.
      automaticDeserialization: false,
    })
    this.now = now ?? Date.now
  }

  /** Sticky records of one unit in several experiments: one HGET each, in one pipeline. */
  async getSticky(experiments: readonly string[], unit: string): Promise<Record<string, StickyRecord>> {
    const unique = [...new Set(experiments)]
    if (unique.length === 0) return {}
    const pipeline = this.redis.pipeline()
    for (const exp of unique) pipeline.hget(experimentKeys(shardOf(exp, unit)).sticky, unit)
    const replies = await this.send(() => pipeline.exec<unknown[]>())
    const out: Record<string, StickyRecord> = {}
    unique.forEach((exp, i) => {
      const record = parseSticky(replies[i])
      if (record) out[exp] = record
    })
    return out
  }

  /** First-exposure times of units in one experiment: one HMGET per shard's `:t` hash, in one pipeline. */
  async getExposureTimes(experiment: string, units: readonly string[]): Promise<Record<string, number>> {
    const byShard = new Map<string, string[]>()
    for (const unit of new Set(units)) {
      const shard = shardOf(experiment, unit)
      const list = byShard.get(shard)
      if (list) list.push(unit)
      else byShard.set(shard, [unit])
    }
    if (byShard.size === 0) return {}
    const pipeline = this.redis.pipeline()
    for (const [shard, list] of byShard) pipeline.hmget(experimentKeys(shard).times, ...list)
    // Without automatic deserialization each reply is HMGET's raw array, in field order.
    const replies = await this.send(() => pipeline.exec<unknown[]>())
    const out: Record<string, number> = {}
    ;[...byShard.values()].forEach((list, s) => {
      const reply = replies[s]
      list.forEach((unit, i) => {
        const at = Number((Array.isArray(reply) ? reply[i] : undefined) ?? Number.NaN)
        if (Number.isFinite(at)) out[unit] = at
      })
    })
    return out
  }

  /** Records exposures: one script per experiment batch, all in one transaction. */
  async recordExposures(batches: readonly { experiment: string; epoch: number; exposures: readonly ExposureInput[] }[]): Promise<Record<string, number>> {
    assertBatches(batches)
    const out: Record<string, number> = Object.fromEntries(batches.map((b) => [b.experiment, 0]))
    const work = [...routeBatches(batches, (b) => b.exposures, (b, exposures) => ({ ...b, exposures }))].flatMap(([shard, parts]) => parts.map((p) => ({ shard, ...p.batch })))
    if (work.length === 0) return out
    const raise = this.epochs.needed(work)
    const tx = this.raising(raise)
    for (const { shard, epoch, exposures } of work) {
      const k = experimentKeys(shard)
      const argv = [
        String(epoch),
        ...exposures.flatMap((x) => [x.unit, x.variant, String(x.allocationVersion), x.day, x.at === undefined ? '' : String(x.at), Object.entries(x.segments ?? {}).flat().join('|')]),
      ]
      tx.eval(RECORD_EXPOSURES, [k.sticky, k.counters, k.epoch, k.times, k.segments, k.segmentValues], argv)
    }
    const replies = (await this.send(() => tx.exec<unknown[]>())).slice(-work.length)
    this.epochs.done(raise)
    work.forEach((b, i) => (out[b.experiment] = (out[b.experiment] ?? 0) + toCount(replies[i])))
    return out
  }

  /** Counts events: one script per experiment batch, all in one transaction. */
  async recordEvents(
    batches: readonly { experiment: string; epoch: number; metrics: readonly MetricSpec[]; events: readonly EventInput[] }[],
  ): Promise<Record<string, EventOutcome[]>> {
    assertBatches(batches)
    const out: Record<string, EventOutcome[]> = Object.fromEntries(batches.map((b) => [b.experiment, []]))
    const work = [...routeBatches(batches, (b) => b.events, (b, events) => ({ ...b, events }))].flatMap(([shard, parts]) => parts.map((p) => ({ shard, ...p })))
    if (work.length === 0) return out
    const now = this.now()
    const raise = this.epochs.needed(batches)
    const tx = this.raising(raise)
    for (const {
      shard,
      batch: { epoch, metrics, events },
    } of work) {
      const k = experimentKeys(shard)
      const argv = [
        String(epoch),
        String(now),
        String(now - ID_TTL_MS),
        String(metrics.length),
        ...metrics.flatMap((m) => [m.key, m.type, m.cap === undefined ? '' : String(m.cap)]),
        ...events.flatMap((e) => {
          const names = [...new Set(e.metrics)]
          return [e.id, e.unit, String(e.value), e.day, String(names.length), ...names]
        }),
      ]
      tx.eval(RECORD_EVENTS, [k.sticky, k.counters, k.units, k.ids, k.epoch, k.segments], argv)
    }
    const replies = (await this.send(() => tx.exec<unknown[]>())).slice(-work.length)
    this.epochs.done(raise)
    work.forEach((part, i) => {
      const outcomes = toOutcomes(replies[i], part.positions.length)
      part.positions.forEach((position, k) => (out[part.experiment]![position] = outcomes[k]!))
    })
    return out
  }

  /**
   * All counters of one experiment: one HGETALL per shard in one pipeline, summed. A shard whose
   * reply is an error fails the whole read (never a sum over the shards that answered).
   */
  async getCounters(experiment: string): Promise<RawCounters> {
    const shards = allShards(experiment)
    const pipeline = this.redis.pipeline()
    for (const shard of shards) pipeline.hgetall(experimentKeys(shard).counters)
    const replies = await this.send(() => pipeline.exec<unknown[]>())
    return sumCounters(
      shards.map((_, i) => {
        const reply = replies[i]
        const flat: unknown[] = Array.isArray(reply) ? reply : Object.entries(reply ?? {}).flat()
        const out: RawCounters = {}
        for (let j = 0; j + 1 < flat.length; j += 2) out[String(flat[j])] = Number(flat[j + 1])
        return out
      }),
    )
  }

  /** Raises one experiment's epoch in every shard (one transaction); returns the epoch all of them now hold. */
  async advanceEpoch(experiment: string, epoch: number): Promise<number> {
    assertEpoch(experiment, epoch)
    const tx = this.redis.multi()
    for (const shard of allShards(experiment)) tx.eval(ADVANCE_EPOCH, [experimentKeys(shard).epoch], [String(epoch)])
    const replies = await this.send(() => tx.exec<unknown[]>())
    return Math.min(...replies.map(toCount))
  }

  // A transaction that first raises these experiments' epochs on all their shards (EpochSpreader).
  private raising(raise: readonly { experiment: string; epoch: number }[]) {
    const tx = this.redis.multi()
    for (const { experiment, epoch } of raise) for (const shard of allShards(experiment)) tx.eval(ADVANCE_EPOCH, [experimentKeys(shard).epoch], [String(epoch)])
    return tx
  }

  // Every transport or Redis failure is "store unavailable" to the caller (ingestion answers 503).
  private send<T>(call: () => Promise<T>): Promise<T> {
    return unavailableOnFailure(this.kind, call)
  }
}

/** Decodes "variant|epoch|allocationVersion"; null for a missing or malformed record. */
function parseSticky(reply: unknown): StickyRecord | null {
  if (typeof reply !== 'string') return null
  const [variant, epoch, allocationVersion, extra] = reply.split('|')
  if (!variant || extra !== undefined) return null
  const record = { variant, epoch: Number(epoch), allocationVersion: Number(allocationVersion) }
  return Number.isSafeInteger(record.epoch) && Number.isSafeInteger(record.allocationVersion) ? record : null
}

function toCount(reply: unknown): number {
  const n = Number(reply)
  if (!Number.isSafeInteger(n)) throw new StoreUnavailableError(`upstash counter store: unexpected script reply ${JSON.stringify(reply)}`)
  return n
}

function toOutcomes(reply: unknown, expected: number): EventOutcome[] {
  if (!Array.isArray(reply) || reply.length !== expected || !reply.every((r) => OUTCOMES.has(r))) {
    throw new StoreUnavailableError(`upstash counter store: unexpected event script reply ${JSON.stringify(reply)?.slice(0, 200)}`)
  }
  return reply as EventOutcome[]
}
