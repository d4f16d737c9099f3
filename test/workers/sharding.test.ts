// Sharded counters through the HTTP API, on both real stores: the shard count's rules, a read that
// equals the sum of the shards, a failing shard answering 503, and the site writing an exposure
// until the store has acknowledged it, marking it in that response (counted at the Durable Object binding).
import { Redis } from '@upstash/redis/cloudflare'
import { describe, expect, it } from 'vitest'
import { counterKeyOf } from '../../src/core/compile'
import { parseCounters, type RawCounters } from '../../src/core/counters'
import type { Experiment } from '../../src/core/experiment'
import { allShards, sumCounters } from '../../src/store/shard-router'
import { experimentKeys } from '../../src/store/upstash/upstash-store'
import { admin, call, createExperiment, env, STORES, testEnv, uniqueKey } from './helpers'
import { cookieValue, setCookies, visit } from './site-support'
import { watchedCounters } from './watched-counters'

const twoWay = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
]
const metrics = [{ key: 'buy', type: 'binomial', event: 'buy' }]

const redis = () => new Redis({ url: testEnv.TEST_UPSTASH_URL, token: testEnv.TEST_UPSTASH_TOKEN, automaticDeserialization: false, enableTelemetry: false })

type ShardStub = { getCounters(): Promise<RawCounters> }

/** One shard's counters, read from the store itself (not through the app). */
async function shardCounters(store: string, shard: string): Promise<RawCounters> {
  if (store === 'durable-object') return (env.COUNTERS.get(env.COUNTERS.idFromName(shard)) as unknown as ShardStub).getCounters()
  const flat = (await redis().hgetall(experimentKeys(shard).counters)) as unknown
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
    const shards = await Promise.all(allShards(counterKey).map((shard) => shardCounters(store, shard)))
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
    const broken = allShards(counterKeyOf(await stored(key, bindings)))[2]!
    let failing = bindings
    if (store === 'durable-object') failing = { ...bindings, COUNTERS: watchedCounters(new Set([broken])).namespace }
    // A shard's counters that are not a hash: Redis answers that one HGETALL with an error.
    else await redis().set(experimentKeys(broken).counters, 'not-a-hash')
    for (const path of [`/v1/experiments/${key}/counts`, `/v1/experiments/${key}/results`]) {
      const res = await admin(path, { bindings: failing })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect((await res.json<any>()).error.code).toBe('store_unavailable')
    }
  }, 30_000)
})

describe('a returning visitor', () => {
  const storeCalls = (calls: { method: string; shard: string }[], base: string) => calls.filter((c) => c.shard.startsWith(base))
  // The store answers well within this in tests; production waits ACK_WAIT_MS (src/site/exposure-ack.ts).
  const site = { ackWaitMs: 10_000 }

  it('should cause one exposure write, acknowledged in the first response, and then no store call at all (no confirming read any more)', async () => {
    const key = uniqueKey('ack')
    await createExperiment({ key, title: 'T', variants: twoWay, shards: 4 })
    const base = counterKeyOf(await stored(key)).split('/')[0]!
    const { calls, namespace } = watchedCounters()
    const vars = { COUNTERS: namespace }

    const first = await visit('/', { vars, site })
    expect(storeCalls(calls, base).map((c) => c.method)).toEqual(['recordExposures'])
    const uid = cookieValue(setCookies(first).edgesplit_uid)!
    const asg = cookieValue(setCookies(first).edgesplit_asg)!
    expect(asg).toMatch(new RegExp(`${key}=[ab]@1~[A-Za-z0-9-]+![|.]`))

    for (let i = 0; i < 5; i++) await visit('/', { vars, site, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg}` } })
    expect(storeCalls(calls, base)).toHaveLength(1)
    const counts = await (await admin(`/v1/experiments/${key}/counts`)).json<any>()
    expect(Object.values<any>(counts.counters.epochs['1'].variants).reduce((n, v) => n + v.exposures, 0)).toBe(1)
  }, 30_000)

  it('should have an exposure that failed written again on the next visit, and marked only once the store has it', async () => {
    const key = uniqueKey('retry')
    await createExperiment({ key, title: 'T', variants: twoWay, shards: 4 })
    const counterKey = counterKeyOf(await stored(key))
    const down = watchedCounters(new Set(allShards(counterKey)))
    const first = await visit('/', { vars: { COUNTERS: down.namespace }, site })
    expect(first.status).toBe(200)
    expect(storeCalls(down.calls, counterKey.split('/')[0]!).map((c) => c.method)).toEqual(['recordExposures'])
    const uid = cookieValue(setCookies(first).edgesplit_uid)!
    const asg1 = cookieValue(setCookies(first).edgesplit_asg)!
    expect(asg1).toMatch(new RegExp(`${key}=[ab]@1~[A-Za-z0-9-]+[|.]`))

    const up = watchedCounters()
    const second = await visit('/', { vars: { COUNTERS: up.namespace }, site, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg1}` } })
    // No read: the unmarked record is simply written again, and marked once the store has it.
    expect(storeCalls(up.calls, counterKey.split('/')[0]!).map((c) => c.method)).toEqual(['recordExposures'])
    expect(cookieValue(setCookies(second).edgesplit_asg)).toMatch(new RegExp(`${key}=[ab]@1~[A-Za-z0-9-]+![|.]`))
    const counts = await (await admin(`/v1/experiments/${key}/counts`)).json<any>()
    expect(Object.values<any>(counts.counters.epochs['1'].variants).reduce((n, v) => n + v.exposures, 0)).toBe(1)
  }, 30_000)
})
