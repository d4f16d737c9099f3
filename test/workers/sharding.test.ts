// Sharded counters through the HTTP API, on both real stores: the shard count's rules, a read that
// equals the sum of the shards, a failing shard answering 503, and the site writing an exposure
// until the store has acknowledged it, marking it in that response (counted at the Durable Object binding).
import { Redis } from '@upstash/redis/cloudflare'
import { describe, expect, it } from 'vitest'
import { counterKeyOf } from '../../src/core/compile'
import { formatCounterKey } from '../../src/core/counter-key'
import { field, parseCounters, type RawCounters } from '../../src/core/counters'
import type { Experiment } from '../../src/core/experiment'
import { allObjects, allShards, sumCounters } from '../../src/store/shard-router'
import { DurableObjectCounterStore } from '../../src/store/durable-object/durable-object-store'
import { experimentKeys } from '../../src/store/upstash/upstash-store'
import { admin, call, createExperiment, env, STORES, testEnv, uniqueKey } from './helpers'
import { cookieValue, setCookies, visit } from './site-support'
import { callsFor, objectNames, watchedCounters } from './watched-counters'

const twoWay = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
]
const metrics = [{ key: 'buy', type: 'binomial', event: 'buy' }]

const redis = () => new Redis({ url: testEnv.TEST_UPSTASH_URL, token: testEnv.TEST_UPSTASH_TOKEN, automaticDeserialization: false, enableTelemetry: false })

type ShardStub = { getCounters(scope: string): Promise<RawCounters> }

/** Shard `i`'s counters of one experiment, read from the store itself (not through the app). */
async function shardCounters(store: string, counterKey: string, i: number): Promise<RawCounters> {
  if (store === 'durable-object') {
    const { name, scope } = allObjects(counterKey)[i]!
    return (env.COUNTERS.get(env.COUNTERS.idFromName(name)) as unknown as ShardStub).getCounters(scope)
  }
  const flat = (await redis().hgetall(experimentKeys(allShards(counterKey)[i]!).counters)) as unknown
  const pairs: unknown[] = Array.isArray(flat) ? flat : Object.entries(flat ?? {}).flat()
  const out: RawCounters = {}
  for (let i = 0; i + 1 < pairs.length; i += 2) out[String(pairs[i])] = Number(pairs[i + 1])
  return out
}

async function stored(key: string, bindings?: Env): Promise<Experiment> {
  return (await admin(`/v1/experiments/${key}`, { bindings })).json<Experiment>()
}

describe('the shard count of an experiment', () => {
  it('should default to the deployment COUNTER_SHARDS, be editable in draft, and refuse a change once started with 409', async () => {
    const key = uniqueKey('shards')
    await createExperiment({ key, title: 'T', variants: twoWay }, false)
    expect((await stored(key)).shards).toBe(Number(testEnv.COUNTER_SHARDS))
    const edited = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { shards: 8 } })
    expect(edited.status).toBe(200)
    expect((await edited.json<Experiment>()).shards).toBe(8)
    expect((await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' } })).status).toBe(200)
    const refused = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { shards: 16 } })
    expect(refused.status).toBe(409)
    expect((await refused.json<any>()).error).toEqual({ code: 'frozen_field', message: expect.stringMatching(/^shards: the shard count cannot change once/) })
    expect((await stored(key)).shards).toBe(8)
  })

  it('should size the shards from a declared traffic (40 shards at 100,000 page views a second) unless shards is given, and not store traffic', async () => {
    const sized = uniqueKey('traffic')
    await createExperiment({ key: sized, title: 'T', variants: twoWay, traffic: 100_000 }, false)
    const experiment = await stored(sized)
    expect(experiment.shards).toBe(40)
    expect('traffic' in experiment).toBe(false)
    const explicit = uniqueKey('traffic')
    await createExperiment({ key: explicit, title: 'T', variants: twoWay, traffic: 100_000, shards: 2 }, false)
    expect((await stored(explicit)).shards).toBe(2)
    const refused = await admin('/v1/experiments', { method: 'POST', json: { key: uniqueKey('traffic'), title: 'T', variants: twoWay, traffic: -5 } })
    expect(refused.status).toBe(400)
    expect((await refused.json<any>()).error.message).toMatch(/traffic must be a positive number/)
  })

  it('should refuse a shard count outside 1 to 48 with 400', async () => {
    for (const shards of [0, 49, 2.5, '8']) {
      const res = await admin('/v1/experiments', { method: 'POST', json: { key: uniqueKey('shards'), title: 'T', variants: twoWay, shards } })
      expect(res.status).toBe(400)
      expect((await res.json<any>()).error.code).toBe('invalid_request')
    }
  })
})

describe.each(STORES)('sharded counters in the %s store', (store, bindings) => {
  it('should answer counts and results that equal the sum of the shards, spread over several shards', async () => {
    const key = uniqueKey('sum')
    await createExperiment({ key, title: 'T', variants: twoWay, metrics, shards: 4 }, true, bindings)
    const units = Array.from({ length: 40 }, (_, i) => `${key}-u${i}`)
    for (const unit of units) expect((await call(`/v1/assign?unit=${unit}&experiments=${key}`, { bindings })).status).toBe(200)
    const events = units.slice(0, 15).map((unit, i) => ({ id: `${key}-e${i}`, unit, name: 'buy' }))
    expect((await call('/v1/events', { method: 'POST', json: { events }, bindings })).status).toBe(202)

    const counterKey = counterKeyOf(await stored(key, bindings))
    const shards = await Promise.all(allShards(counterKey).map((_, i) => shardCounters(store, counterKey, i)))
    expect(shards).toHaveLength(4)
    expect(shards.filter((c) => Object.keys(c).length > 0).length).toBeGreaterThan(1)
    const expected = parseCounters(sumCounters(shards))

    const counts = await (await admin(`/v1/experiments/${key}/counts`, { bindings })).json<any>()
    expect(counts.counters).toEqual(expected)
    const exposed = Object.values<any>(counts.counters.epochs['1'].variants).reduce((n, v) => n + v.exposures, 0)
    expect(exposed).toBe(units.length)
    const results = await (await admin(`/v1/experiments/${key}/results?series=none`, { bindings })).json<any>()
    const n = results.metrics[0].variants.reduce((sum: number, v: any) => sum + v.n, 0)
    const conversions = results.metrics[0].variants.reduce((sum: number, v: any) => sum + v.converters, 0)
    expect(n).toBe(units.length)
    expect(conversions).toBe(events.length)
  }, 30_000)

  it('should answer 503 store_unavailable for counts and results when one shard fails, never a partial sum', async () => {
    const key = uniqueKey('down')
    await createExperiment({ key, title: 'T', variants: twoWay, shards: 4 }, true, bindings)
    for (let i = 0; i < 12; i++) await call(`/v1/assign?unit=${key}-u${i}&experiments=${key}`, { bindings })
    const counterKey = counterKeyOf(await stored(key, bindings))
    let failing = bindings
    if (store === 'durable-object') failing = { ...bindings, COUNTERS: watchedCounters(new Set([objectNames(counterKey)[2]!])).namespace }
    // A shard's counters that are not a hash: Redis answers that one HGETALL with an error.
    else await redis().set(experimentKeys(allShards(counterKey)[2]!).counters, 'not-a-hash')
    for (const path of [`/v1/experiments/${key}/counts`, `/v1/experiments/${key}/results`]) {
      const res = await admin(path, { bindings: failing })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect((await res.json<any>()).error.code).toBe('store_unavailable')
    }
  }, 30_000)
})

describe('pooled counter objects in the durable-object store', () => {
  // Each call to a counter object costs a round trip and a commit whatever it carries, so what
  // pooling buys is the number of calls: one per shard object, however many experiments a flush holds.
  it.each([
    { layout: 'pooled', pooled: true, expected: 4 },
    { layout: 'own', pooled: false, expected: 40 },
  ])('should write 10 experiments × 4 shards of exposures ($layout objects) in $expected calls, counting each experiment exactly', async ({ pooled, expected }) => {
    const keys = Array.from({ length: 10 }, () => formatCounterKey(`${uniqueKey('pool')}:i`, 4, pooled))
    const units = Array.from({ length: 40 }, (_, i) => `p-${keys[0]}-${i}`)
    const { calls, namespace } = watchedCounters()
    const store = new DurableObjectCounterStore(namespace)
    const batches = keys.map((experiment, k) => ({
      experiment,
      epoch: 1,
      exposures: units.map((unit, i) => ({ unit, variant: (i + k) % 2 ? 'a' : 'b', allocationVersion: 1, day: '2026-11-30' })),
    }))
    expect(await store.recordExposures(batches)).toEqual(Object.fromEntries(keys.map((k) => [k, units.length])))
    expect(calls.map((c) => c.method)).toEqual(Array(expected).fill('recordExposures'))
    // Sent again (a retry): nothing counts twice.
    expect(await store.recordExposures(batches)).toEqual(Object.fromEntries(keys.map((k) => [k, 0])))
    for (const [k, experiment] of keys.entries()) {
      const counters = await store.getCounters(experiment)
      const inB = units.filter((_, i) => (i + k) % 2 === 0).length
      expect([counters[field.exposures(1, 'a')], counters[field.exposures(1, 'b')]]).toEqual([units.length - inB, inB])
      // Another experiment's unit in the same object is not this one's.
      expect(Object.keys(await store.getSticky([experiment], `p-${keys[0]}-x`))).toEqual([])
      expect((await store.getSticky([experiment], units[0]!))[experiment]?.variant).toBe(k % 2 ? 'a' : 'b')
    }
  })
})

describe('a returning visitor', () => {
  // The store answers well within this in tests; production waits ACK_WAIT_MS (src/site/exposure-ack.ts).
  const site = { ackWaitMs: 10_000 }

  it('should cause one exposure write, acknowledged in the first response, and then no store call at all (no confirming read any more)', async () => {
    const key = uniqueKey('ack')
    await createExperiment({ key, title: 'T', variants: twoWay, shards: 4 })
    const counterKey = counterKeyOf(await stored(key))
    const { calls, namespace } = watchedCounters()
    const vars = { COUNTERS: namespace }

    const first = await visit('/', { vars, site })
    expect(callsFor(calls, counterKey).map((c) => c.method)).toEqual(['recordExposures'])
    const uid = cookieValue(setCookies(first).edgesplit_uid)!
    const asg = cookieValue(setCookies(first).edgesplit_asg)!
    expect(asg).toMatch(new RegExp(`${key}=[ab]@1~[A-Za-z0-9-]+![|.]`))

    for (let i = 0; i < 5; i++) await visit('/', { vars, site, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg}` } })
    expect(callsFor(calls, counterKey)).toHaveLength(1)
    const counts = await (await admin(`/v1/experiments/${key}/counts`)).json<any>()
    expect(Object.values<any>(counts.counters.epochs['1'].variants).reduce((n, v) => n + v.exposures, 0)).toBe(1)
  }, 30_000)

  it('should have an exposure that failed written again on the next visit, and marked only once the store has it', async () => {
    const key = uniqueKey('retry')
    await createExperiment({ key, title: 'T', variants: twoWay, shards: 4 })
    const counterKey = counterKeyOf(await stored(key))
    const down = watchedCounters(new Set(objectNames(counterKey)))
    const first = await visit('/', { vars: { COUNTERS: down.namespace }, site })
    expect(first.status).toBe(200)
    expect(callsFor(down.calls, counterKey).map((c) => c.method)).toEqual(['recordExposures'])
    const uid = cookieValue(setCookies(first).edgesplit_uid)!
    const asg1 = cookieValue(setCookies(first).edgesplit_asg)!
    expect(asg1).toMatch(new RegExp(`${key}=[ab]@1~[A-Za-z0-9-]+[|.]`))

    const up = watchedCounters()
    const second = await visit('/', { vars: { COUNTERS: up.namespace }, site, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg1}` } })
    // No read: the unmarked record is simply written again, and marked once the store has it.
    expect(callsFor(up.calls, counterKey).map((c) => c.method)).toEqual(['recordExposures'])
    expect(cookieValue(setCookies(second).edgesplit_asg)).toMatch(new RegExp(`${key}=[ab]@1~[A-Za-z0-9-]+![|.]`))
    const counts = await (await admin(`/v1/experiments/${key}/counts`)).json<any>()
    expect(Object.values<any>(counts.counters.epochs['1'].variants).reduce((n, v) => n + v.exposures, 0)).toBe(1)
  }, 30_000)
})
