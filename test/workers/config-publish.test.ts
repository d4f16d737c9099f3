import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CONFIG_KV_CACHE_TTL_S } from '../../src/config/config-cache'
import { CONFIG_KV_KEY } from '../../src/config/config-doc'
import type { ConfigWriter } from '../../src/config/config-writer'
import { HealthSchema } from '../../src/api/health'
import { admin, call, uniqueKey } from './helpers'

const stub = () => env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName('global'))

/** Every KV write the ConfigWriter attempts (time, and whether it was refused), and a switch to refuse them as KV's 429 does. */
type Recorder = { attempts: { at: number; refused: boolean }[]; refuse: boolean }

let recorder: Recorder
let original: (() => KVNamespace) | undefined
// The fake clock only moves forward across tests, as a real one would.
let clock = 0

/** Points the ConfigWriter's publishing at a wrapper of the real KV that records (and can refuse) writes. */
async function recordPublishes(): Promise<Recorder> {
  const r: Recorder = { attempts: [], refuse: false }
  await runInDurableObject(stub(), (instance: ConfigWriter) => {
    original ??= instance.publishTarget
    const kv = env.CONFIG
    instance.publishTarget = () =>
      new Proxy(kv, {
        get(target, prop) {
          const value = Reflect.get(target, prop)
          if (prop === 'put')
            return (...args: unknown[]) => {
              r.attempts.push({ at: Date.now(), refused: r.refuse })
              if (r.refuse) return Promise.reject(new Error('KV PUT failed: 429 Too Many Requests'))
              return (value as Function).apply(target, args)
            }
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
  })
  return r
}

/** Moves the clock of this isolate (the ConfigWriter runs in it too) past the publish limit. */
function advance(ms: number) {
  vi.setSystemTime(Date.now() + ms)
}

async function kvDoc(): Promise<{ revision?: number; experiments: Record<string, any> } | null> {
  return env.CONFIG.get(CONFIG_KV_KEY, 'json')
}

const revisions = (res: Response) => ({
  latest: Number(res.headers.get('x-edgesplit-config-revision')),
  published: Number(res.headers.get('x-edgesplit-config-published')),
})

/** No two KV writes (refused ones included: KV counts them) less than a second apart. */
function expectAtMostOnePerSecond(r: Recorder) {
  for (let i = 1; i < r.attempts.length; i++) expect(r.attempts[i]!.at - r.attempts[i - 1]!.at).toBeGreaterThanOrEqual(1000)
}

const body = (key: string) => ({ key, title: 'burst', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }] })

describe('config propagation (measured locally, real clock)', () => {
  it('should have KV holding the last of two back-to-back writes within about a second, by the alarm alone', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100)) // past any earlier publish
    const key = uniqueKey('measure')
    const created = await admin('/v1/experiments', { method: 'POST', json: body(key) })
    const started = await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' } })
    expect([created.status, started.status]).toEqual([201, 200])
    const t0 = performance.now()
    const { latest } = revisions(started)
    let doc = await kvDoc()
    while ((doc?.revision ?? 0) < latest && performance.now() - t0 < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      doc = await kvDoc()
    }
    const ms = Math.round(performance.now() - t0)
    console.log(`config-publish: KV held revision ${latest} ${ms} ms after the write that made it answered (publish delay; Miniflare's KV has no propagation delay or edge cache)`)
    expect(doc?.revision).toBe(latest)
    expect(doc?.experiments[key]).toMatchObject({ state: 'running' })
    expect(ms).toBeLessThan(2_000)
  }, 10_000)

  it('should read config:v1 with the KV cacheTtl', async () => {
    const options: unknown[] = []
    const kv = new Proxy(env.CONFIG, {
      get(target, prop) {
        const value = Reflect.get(target, prop)
        if (prop === 'get') return (...args: unknown[]) => (options.push(args[1]), (value as Function).apply(target, args))
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const { ConfigCache } = await import('../../src/config/config-cache')
    await new ConfigCache(kv).snapshot()
    expect(options).toEqual([{ cacheTtl: CONFIG_KV_CACHE_TTL_S }])
    expect(CONFIG_KV_CACHE_TTL_S).toBeGreaterThanOrEqual(30)
  })
})

describe('ConfigWriter publishing to KV (one write per second per key)', () => {
  beforeEach(async () => {
    clock = Math.max(clock, Date.now()) + 5_000 // whatever an earlier test wrote, the limit allows a publish now
    vi.useFakeTimers({ toFake: ['Date'], now: clock })
    recorder = await recordPublishes()
  })
  afterEach(async () => {
    clock = Date.now()
    vi.useRealTimers()
    await runInDurableObject(stub(), (instance: ConfigWriter) => {
      if (original) instance.publishTarget = original
    })
  })

  it('should coalesce a burst of 10 changes within a second into KV writes a second apart, never a 5xx, KV ending at the last one', async () => {
    const key = uniqueKey('burst')
    const answers: Response[] = [await admin('/v1/experiments', { method: 'POST', json: body(key) })]
    answers.push(await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' } }))
    for (let i = 2; i < 10; i++) answers.push(await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: `burst ${i}` } }))
    expect(answers.map((a) => a.status)).toEqual([201, ...Array(9).fill(200)])
    const seen = answers.map(revisions)
    // Each write is the next revision; the first publishes at once, the rest wait for the alarm (the clock has not moved).
    for (let i = 1; i < 10; i++) expect(seen[i]!.latest).toBe(seen[0]!.latest + i)
    expect(seen[0]).toEqual({ published: seen[0]!.latest, latest: seen[0]!.latest })
    for (const s of seen.slice(1)) expect(s.published).toBe(seen[0]!.latest)
    expect(recorder.attempts).toHaveLength(1)
    expect((await kvDoc())?.revision).toBe(seen[0]!.latest)

    // The alarm, a second later, publishes the latest revision once.
    advance(1_000)
    expect(await runDurableObjectAlarm(stub())).toBe(true)
    const published = await kvDoc()
    expect(published?.revision).toBe(seen[9]!.latest)
    expect(published?.experiments[key]).toMatchObject({ title: 'burst 9', state: 'running' })
    expect(recorder.attempts).toHaveLength(2)
    expectAtMostOnePerSecond(recorder)
    // Nothing is left to do: no alarm, and a later one would find KV current.
    expect(await runDurableObjectAlarm(stub())).toBe(false)
  })

  it('should answer a write KV refuses with success, and the alarm repairs KV with backoff', async () => {
    const key = uniqueKey('refused')
    recorder.refuse = true
    const created = await admin('/v1/experiments', { method: 'POST', json: body(key) })
    expect(created.status).toBe(201)
    const { latest, published } = revisions(created)
    expect(published).toBe(latest - 1)
    expect((await kvDoc())?.experiments[key]).toBeUndefined()
    // The caller's isolate serves its own write at once (read-your-writes) though KV does not have it yet.
    expect((await (await admin(`/v1/experiments/${key}`)).json<any>()).title).toBe('burst')

    // A second write during the backoff is stored and left to the alarm; it does not touch KV.
    const started = await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' } })
    expect(started.status).toBe(200)
    expect(revisions(started)).toEqual({ published: latest - 1, latest: latest + 1 })
    expect(recorder.attempts).toHaveLength(1)
    expect((await (await call(`/v1/assign?unit=u1&experiments=${key}`)).json<any>()).assignments[key].reason).toBe('hash')

    // Early alarms find the backoff (2 s after one failure) not over and move themselves.
    advance(1_000)
    expect(await runDurableObjectAlarm(stub())).toBe(true)
    expect(recorder.attempts).toHaveLength(1)
    // KV still refuses: the retry fails, and the next waits 4 s.
    advance(1_000)
    expect(await runDurableObjectAlarm(stub())).toBe(true)
    expect(recorder.attempts).toHaveLength(2)
    // Past the isolate's 30 s cache, KV (still without the experiment) does not take this isolate back to an older revision.
    advance(31_000)
    expect((await (await call(`/v1/assign?unit=u1&experiments=${key}`)).json<any>()).assignments[key].reason).toBe('hash')
    recorder.refuse = false
    advance(4_000)
    expect(await runDurableObjectAlarm(stub())).toBe(true)
    expect(recorder.attempts.map((a) => a.refused)).toEqual([true, true, false])
    expectAtMostOnePerSecond(recorder)
    const repaired = await kvDoc()
    expect(repaired?.revision).toBe(latest + 1)
    expect(repaired?.experiments[key]).toMatchObject({ state: 'running' })
    expect(await runDurableObjectAlarm(stub())).toBe(false)
  })

  it('should refuse GET /health?deep=1 without the admin token: it reaches the one global ConfigWriter, so the public may not', async () => {
    const refused = await call('/health?deep=1')
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    const shallow = await call('/health')
    expect(shallow.status).toBe(200)
    expect(HealthSchema.parse(await shallow.json()).config).toBeUndefined()
  })

  it('should repair KV on GET /health?deep=1 when it is behind, and report both revisions', async () => {
    const key = uniqueKey('deep')
    const created = await admin('/v1/experiments', { method: 'POST', json: body(key) })
    const { latest } = revisions(created)
    expect(revisions(created).published).toBe(latest)

    const current = await admin('/health?deep=1')
    expect(current.status).toBe(200)
    const currentBody = HealthSchema.parse(await current.json())
    expect(currentBody.config).toEqual({ latest, published: latest, kv: latest, republished: 'no' })

    // Someone (or a lost write) leaves KV behind: an older document, then no document at all.
    await env.CONFIG.put(CONFIG_KV_KEY, JSON.stringify({ experiments: {} }))
    advance(1_000)
    const repaired = HealthSchema.parse(await (await admin('/health?deep=1')).json())
    expect(repaired.config).toEqual({ latest, published: latest, kv: latest, republished: 'now' })
    expect((await kvDoc())?.experiments[key]).toMatchObject({ title: 'burst' })

    // Within the second after that publish, the repair is left to the alarm.
    await env.CONFIG.delete(CONFIG_KV_KEY)
    const scheduled = HealthSchema.parse(await (await admin('/health?deep=1')).json())
    expect(scheduled.config).toEqual({ latest, published: -1, kv: null, republished: 'scheduled' })
    expect(await kvDoc()).toBeNull()
    advance(1_000)
    expect(await runDurableObjectAlarm(stub())).toBe(true)
    expect((await kvDoc())?.revision).toBe(latest)
    expectAtMostOnePerSecond(recorder)
    // Plain /health stays a cheap liveness check: no config section, no call to the writer.
    expect(HealthSchema.parse(await (await call('/health')).json()).config).toBeUndefined()
  })
})
