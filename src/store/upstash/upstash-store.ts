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
import { assertEpoch, assertRecordableEvents, assertRecordableExposures } from '../counters'
import { ADVANCE_EPOCH } from './scripts/current-epoch'
import { RECORD_EVENTS } from './scripts/record-events'
import { RECORD_EXPOSURES } from './scripts/record-exposures'

/** Connection settings; `now` dates event ids (injectable for tests). */
export type UpstashStoreOptions = { url: string; token: string; now?: () => number }

/**
 * One experiment's keys. The `{<exp>}` hash tag puts them in one slot, so a script may touch all
 * of them; the layout is documented in scripts/record-events.ts.
 */
export function experimentKeys(experiment: string) {
  const p = `es:{${experiment}}`
  return { sticky: `${p}:sticky`, counters: `${p}:c`, units: `${p}:u`, ids: `${p}:ids`, epoch: `${p}:epoch`, times: `${p}:t` }
}

const OUTCOMES = new Set<string>(EVENT_OUTCOMES)

/**
 * The production counter store on Upstash Redis. Each experiment's batch is one Lua script call;
 * a call spanning experiments sends them all in one `/multi-exec` transaction — one round trip,
 * all-or-nothing. Scripts go as EVAL with their text: EVALSHA inside MULTI could fail with NOSCRIPT
 * for one command and succeed for another, leaving partial counts.
 */
export class UpstashCounterStore implements CounterStore {
  readonly kind = 'upstash'
  private readonly redis: Redis
  private readonly now: () => number

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
    for (const exp of unique) pipeline.hget(experimentKeys(exp).sticky, unit)
    const replies = await this.send(() => pipeline.exec<unknown[]>())
    const out: Record<string, StickyRecord> = {}
    unique.forEach((exp, i) => {
      const record = parseSticky(replies[i])
      if (record) out[exp] = record
    })
    return out
  }

  /** First-exposure times of units in one experiment: one HMGET on its `:t` hash. */
  async getExposureTimes(experiment: string, units: readonly string[]): Promise<Record<string, number>> {
    const unique = [...new Set(units)]
    if (unique.length === 0) return {}
    // Without automatic deserialization the reply is HMGET's raw array, in field order.
    const replies = (await this.send(() => this.redis.hmget(experimentKeys(experiment).times, ...unique))) as unknown
    const out: Record<string, number> = {}
    for (const [i, unit] of unique.entries()) {
      const at = Number((Array.isArray(replies) ? replies[i] : undefined) ?? Number.NaN)
      if (Number.isFinite(at)) out[unit] = at
    }
    return out
  }

  /** Records exposures: one script per experiment batch, all in one transaction. */
  async recordExposures(batches: readonly { experiment: string; epoch: number; exposures: readonly ExposureInput[] }[]): Promise<Record<string, number>> {
    for (const b of batches) {
      assertEpoch(b.experiment, b.epoch)
      assertRecordableExposures(b.experiment, b.exposures)
    }
    const out: Record<string, number> = Object.fromEntries(batches.map((b) => [b.experiment, 0]))
    const work = batches.filter((b) => b.exposures.length > 0)
    if (work.length === 0) return out
    const tx = this.redis.multi()
    for (const { experiment, epoch, exposures } of work) {
      const k = experimentKeys(experiment)
      const argv = [String(epoch), ...exposures.flatMap((x) => [x.unit, x.variant, String(x.allocationVersion), x.day, x.at === undefined ? '' : String(x.at)])]
      tx.eval(RECORD_EXPOSURES, [k.sticky, k.counters, k.epoch, k.times], argv)
    }
    const replies = await this.send(() => tx.exec<unknown[]>())
    work.forEach((b, i) => (out[b.experiment] = (out[b.experiment] ?? 0) + toCount(replies[i])))
    return out
  }

  /** Counts events: one script per experiment batch, all in one transaction. */
  async recordEvents(
    batches: readonly { experiment: string; epoch: number; metrics: readonly MetricSpec[]; events: readonly EventInput[] }[],
  ): Promise<Record<string, EventOutcome[]>> {
    for (const b of batches) {
      assertEpoch(b.experiment, b.epoch)
      assertRecordableEvents(b.experiment, b.metrics, b.events)
    }
    const out: Record<string, EventOutcome[]> = Object.fromEntries(batches.map((b) => [b.experiment, []]))
    const work = batches.filter((b) => b.events.length > 0)
    if (work.length === 0) return out
    const now = this.now()
    const tx = this.redis.multi()
    for (const { experiment, epoch, metrics, events } of work) {
      const k = experimentKeys(experiment)
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
      tx.eval(RECORD_EVENTS, [k.sticky, k.counters, k.units, k.ids, k.epoch], argv)
    }
    const replies = await this.send(() => tx.exec<unknown[]>())
    work.forEach((b, i) => (out[b.experiment] = [...(out[b.experiment] ?? []), ...toOutcomes(replies[i], b.events.length)]))
    return out
  }

  /** All counters of one experiment: one HGETALL, values parsed as numbers. */
  async getCounters(experiment: string): Promise<RawCounters> {
    const reply = await this.send(() => this.redis.hgetall(experimentKeys(experiment).counters))
    const flat: unknown[] = Array.isArray(reply) ? reply : Object.entries(reply ?? {}).flat()
    const out: RawCounters = {}
    for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = Number(flat[i + 1])
    return out
  }

  /** Raises one experiment's epoch (one script call); returns the epoch the store now holds. */
  async advanceEpoch(experiment: string, epoch: number): Promise<number> {
    assertEpoch(experiment, epoch)
    const reply = await this.send(() => this.redis.eval(ADVANCE_EPOCH, [experimentKeys(experiment).epoch], [String(epoch)]))
    return toCount(reply)
  }

  // Every transport or Redis failure is "store unavailable" to the caller (ingestion answers 503).
  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw new StoreUnavailableError(`upstash counter store: ${(error as Error)?.message ?? String(error)}`, { cause: error })
    }
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
