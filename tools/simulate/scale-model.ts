// The capacity model behind `npm run simulate -- --scale` (docs/scale.md). It runs inside workerd
// (tools/simulate/scale.mjs starts it with Miniflare) and drives the real store code: every
// simulated isolate has its own DurableObjectCounterStore over the real CounterShard objects, so
// routing, batching and the shards' SQLite writes are the production ones; the binding counts
// every call per shard. Time is simulated: page views arrive evenly at V per second, and each
// isolate's exposure buffer is written a fixed delay after its first exposure (or at FLUSH_SIZE), as
// src/flows/exposure-buffer.ts does on a real timer: CONFIRM_DELAY_MS for the site, whose response
// waits for the write beside the origin fetch and marks the cookie (src/site/middleware.ts), or
// FLUSH_DELAY_MS after the response for /v1/assign without `confirm` (`write: 'buffered'`). A new
// visitor's id is drawn as src/flows/new-visitor.ts draws it: on the shard its isolate's buffer
// writes to, drawn at random for each buffer.
import { formatCounterKey } from '../../src/core/counter-key'
import { shardsForTraffic } from '../../src/core/experiment'
import { seededRandom } from '../../src/core/random'
import type { CounterStore, ExposureInput } from '../../src/store/counter-store'
import { DurableObjectCounterStore } from '../../src/store/durable-object/durable-object-store'
import { routeBatches, shardIndex } from '../../src/store/shard-router'
import { newVisitorId } from '../../src/core/visitor-id'
import { CONFIRM_DELAY_MS, FLUSH_DELAY_MS, FLUSH_SIZE } from '../../src/flows/exposure-buffer'

/** One scenario of the model. */
export type ScaleParams = {
  /** Page views per second (V). */
  pageViews: number
  /** Share of page views by returning visitors (0.7: 70%). */
  returning: number
  /** Running experiments every page view is assigned to (E). */
  experiments: number
  /** Isolates serving the traffic (I), each with its own exposure buffer. */
  isolates: number
  /** Shards per experiment (N); null: what a new experiment declaring `traffic: pageViews` gets. */
  shards: number | null
  /** Pooled counter objects (shard i of every experiment in one: what new experiments get), or objects per experiment shard. */
  pooled: boolean
  /** How exposures reach the store: the site's write beside the origin fetch (CONFIRM_DELAY_MS), or /v1/assign's after the response (FLUSH_DELAY_MS). */
  write: 'confirm' | 'buffered'
  /** Share of first responses that leave before the store acknowledged (`confirm`): those units write again on their next visit. */
  unacked: number
  /** Simulated seconds (the rates are counts divided by this). */
  seconds: number
  /** Config changes a minute (edits, starts, bandit periods) reaching the ConfigWriter. */
  configChangesPerMinute: number
  seed: string
}

/** What one scenario measured, per second unless named otherwise. */
export type ScaleRow = ScaleParams & {
  shards: number
  newUnits: number
  /** Exposure writes (recordExposures RPCs) received by the busiest shard, and on average per shard. */
  writesPerShardMax: number
  writesPerShardMean: number
  /** Every store request received by the busiest shard (all are writes: nothing reads on the page path). */
  requestsPerShardMax: number
  /** Exposure writes and all requests, over every counter object. */
  storeWrites: number
  storeRequests: number
  /** Store round trips per page view made beside the origin fetch (`confirm`), and after the response (`buffered`). */
  roundTripsBesideOrigin: number
  roundTripsAfterResponse: number
  /** Upstash: commands a second (one EVAL per shard part of a write). */
  upstashCommands: number
  /** KV writes a minute: the ConfigWriter publishes at most once a second. */
  kvWritesPerMinute: number
}

type Pending = { deadline: number; batches: Map<string, ExposureInput[]>; size: number }

/**
 * Runs one scenario against the real CounterShard namespace and returns its rates. The population
 * of returning visitors is made first (their exposures written), outside the counts.
 */
export async function runScale(namespace: DurableObjectNamespace, params: ScaleParams): Promise<ScaleRow> {
  const p = { ...params, shards: params.shards ?? shardsForTraffic(params.pageViews) }
  const rand = seededRandom(`scale:${p.seed}:${p.pageViews}`)
  const keys = Array.from({ length: p.experiments }, (_, e) => formatCounterKey(`sim_${p.seed}_${p.pageViews}_e${e}:run`, p.shards, p.pooled))
  const day = '2026-11-30'
  const calls = new Map<string, { writes: number; reads: number }>()
  const counted = countingNamespace(namespace, (shard, method) => {
    const c = calls.get(shard) ?? { writes: 0, reads: 0 }
    if (method === 'recordExposures') c.writes++
    else c.reads++
    calls.set(shard, c)
  })
  const stores: CounterStore[] = Array.from({ length: p.isolates }, () => new DurableObjectCounterStore(counted))

  // Visitors who return: already exposed. Those whose first response left unmarked send their
  // exposures again (the store counts them once).
  const pool = Array.from({ length: 500 }, (_, i) => `r${i}`)
  const warm = new DurableObjectCounterStore(namespace)
  await warm.recordExposures(keys.map((experiment) => ({ experiment, epoch: 1, exposures: pool.map((unit) => ({ unit, variant: 'A', allocationVersion: 1, day })) })))

  const pending: (Pending | null)[] = Array.from({ length: p.isolates }, () => null)
  const inFlight: Promise<unknown>[] = []
  let upstashCommands = 0
  let newUnits = 0
  let flushes = 0
  // Each isolate's open buffer's shard, as a fraction (src/flows/exposure-buffer.ts, windowSlot): drawn at its first new visitor.
  const slots: (number | undefined)[] = Array.from({ length: p.isolates }, () => undefined)
  const delay = (p.write === 'confirm' ? CONFIRM_DELAY_MS : FLUSH_DELAY_MS) / 1000
  const flush = (i: number) => {
    const buffer = pending[i]!
    pending[i] = null
    flushes++
    slots[i] = undefined
    const batches = [...buffer.batches].map(([experiment, exposures]) => ({ experiment, epoch: 1, exposures }))
    upstashCommands += [...routeBatches(batches, (b) => b.exposures, (b, exposures) => ({ ...b, exposures }))].reduce((n, [, parts]) => n + parts.length, 0)
    inFlight.push(stores[i]!.recordExposures(batches))
  }
  const expose = (i: number, t: number, unit: string, variant: string) => {
    const buffer = (pending[i] ??= { deadline: t + delay, batches: new Map(), size: 0 })
    for (const experiment of keys) {
      const list = buffer.batches.get(experiment) ?? []
      list.push({ unit, variant, allocationVersion: 1, day })
      buffer.batches.set(experiment, list)
      buffer.size++
    }
    if (buffer.size >= FLUSH_SIZE) flush(i)
  }
  const total = Math.round(p.pageViews * p.seconds)
  for (let j = 0; j < total; j++) {
    const t = j / p.pageViews
    pending.forEach((b, i) => b && b.deadline <= t && flush(i))
    const i = Math.floor(rand() * p.isolates)
    if (rand() >= p.returning) {
      // A new visitor: one exposure per experiment, into this isolate's buffer.
      newUnits++
      // The site makes its visitors' ids; /v1/assign's units are the caller's.
      const slot = ((slots[i] ??= rand()) * p.shards) | 0
      const unit = p.write === 'confirm' ? newVisitorId((id) => shardIndex(id, p.shards) === slot) : `n${j}`
      expose(i, t, unit, rand() < 0.5 ? 'A' : 'B')
    } else if (p.write === 'confirm' && rand() < (1 - p.returning) * p.unacked) {
      // A second visit (a geometric number of visits with P(return) = returning makes 1 − returning
      // of the returning page views second visits) whose first response left unmarked: sent again.
      expose(i, t, pool[Math.floor(rand() * pool.length)]!, 'A')
    }
    // Any later visit carries the mark: no store call.
    if (inFlight.length >= 256) await Promise.all(inFlight.splice(0))
  }
  pending.forEach((b, i) => b && b.deadline <= p.seconds && flush(i))
  await Promise.all(inFlight)

  // Counter objects: N shared ones when pooled, else N per experiment.
  const shards = p.pooled ? p.shards : keys.length * p.shards
  const per = (n: number) => n / p.seconds
  const all = [...calls.values()]
  const writes = all.reduce((n, c) => n + c.writes, 0)
  const requests = all.reduce((n, c) => n + c.writes + c.reads, 0)
  return {
    ...p,
    newUnits: per(newUnits),
    writesPerShardMax: per(Math.max(0, ...all.map((c) => c.writes))),
    writesPerShardMean: per(writes / shards),
    requestsPerShardMax: per(Math.max(0, ...all.map((c) => c.writes + c.reads))),
    storeWrites: per(writes),
    storeRequests: per(requests),
    roundTripsBesideOrigin: p.write === 'confirm' ? flushes / total : 0,
    roundTripsAfterResponse: p.write === 'buffered' ? flushes / total : 0,
    upstashCommands: per(upstashCommands),
    kvWritesPerMinute: Math.min(60, p.configChangesPerMinute),
  }
}

/** The namespace with every call to a shard reported by shard name and method. */
function countingNamespace(real: DurableObjectNamespace, onCall: (shard: string, method: string) => void): DurableObjectNamespace<never> {
  const names = new Map<string, string>()
  return {
    idFromName(name: string) {
      const id = real.idFromName(name)
      names.set(id.toString(), name)
      return id
    },
    get(id: DurableObjectId) {
      const shard = names.get(id.toString()) ?? id.toString()
      const stub = real.get(id) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
      return new Proxy({}, { get: (_, method: string) => (...args: unknown[]) => (onCall(shard, method), stub[method]!(...args)) })
    },
  } as unknown as DurableObjectNamespace<never>
}
