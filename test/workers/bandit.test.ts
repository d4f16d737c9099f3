import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ConfigWriter } from '../../src/config/config-writer'
import { counterKeyOf } from '../../src/core/compile'
import { seededRandom } from '../../src/core/random'
import type { ConfigWriterApi } from '../../src/config/config-writer-api'
import { selectCounterStore } from '../../src/store/select-store'
import { admin, call, createExperiment, uniqueKey } from './helpers'

const PERIOD = 60
const store = () => selectCounterStore(env)
const stub = () => env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName('global'))
// The RPC surface as plain promises (the generated stub type is too deep for tsc), as src/services.ts does.
const writer = () => stub() as unknown as ConfigWriterApi
const today = () => new Date().toISOString().slice(0, 10)

/** Records n exposures of `variant`, x of them converting, straight into the real store (under the experiment's counter key). */
async function fill(key: string, variant: string, n: number, x: number) {
  const counterKey = counterKeyOf(await stored(key))
  const units = Array.from({ length: n }, (_, i) => `${key}-${variant}-${Date.now()}-${i}`)
  await store().recordExposures([{ experiment: counterKey, epoch: 1, exposures: units.map((unit) => ({ unit, variant, allocationVersion: 1, day: today() })) }])
  if (x === 0) return
  await store().recordEvents([
    {
      experiment: counterKey,
      epoch: 1,
      metrics: [{ key: 'conversion', type: 'binomial' }],
      events: units.slice(0, x).map((unit) => ({ id: `${unit}-c`, unit, value: 0, day: today(), metrics: ['conversion'] })),
    },
  ])
}

/** Moves the clock (Date only: timers stay real so exposure batching still flushes). */
function advance(seconds: number) {
  vi.setSystemTime(Date.now() + seconds * 1000)
}

async function assignOne(key: string, unit: string) {
  const res = await call(`/v1/assign?unit=${unit}&experiments=${key}`)
  expect(res.status).toBe(200)
  return (await res.json<any>()).assignments[key]
}

async function stored(key: string) {
  return (await admin(`/v1/experiments/${key}`)).json<any>()
}

async function banditExperiment(allocation: Record<string, unknown> = { type: 'thompson', periodSeconds: PERIOD }) {
  const key = uniqueKey('bandit')
  await createExperiment({ key, title: 'Moon/Mars bandit', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }], allocation })
  return key
}

describe('bandit allocation', () => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    // Reproducible Thompson draws: the ConfigWriter's random source is injectable.
    await runInDurableObject(stub(), (instance: ConfigWriter) => {
      instance.random = () => seededRandom('bandit-test')
    })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('should assign new units with reason bandit and count their exposures', async () => {
    const key = await banditExperiment()
    const a = await assignOne(key, 'first-visitor')
    expect(a).toMatchObject({ reason: 'bandit', enrolled: true, allocationVersion: 1 })
    const counts = await (await admin(`/v1/experiments/${key}/counts`)).json<any>()
    expect(counts.counters.epochs[1].variants[a.variant].exposures).toBe(1)
  })

  it('should keep the weights during burn-in, record the check, and wait a period before the next', async () => {
    const key = await banditExperiment()
    await fill(key, 'Moon', 150, 10)
    await fill(key, 'Mars', 60, 30)
    advance(PERIOD + 1)
    await assignOne(key, 'trigger-1') // a fresh config read notices the bandit is due
    const e = await stored(key)
    expect(e.variants.map((v: any) => v.weight)).toEqual([1, 1])
    expect(e.allocationVersion).toBe(1)
    expect(e.bandit).toMatchObject({ phase: 'burn-in', note: expect.stringMatching(/variant Mars has 6\d units, fewer than burnIn=100/) })
    expect(await writer().rebalance(key)).toMatchObject({ status: 'not_due' })
  })

  it('should move weight to the clearly better arm after burn-in, respect the floor, and store it', async () => {
    const key = await banditExperiment()
    await fill(key, 'Moon', 1000, 100)
    await fill(key, 'Mars', 1000, 300)
    advance(PERIOD + 1)
    await assignOne(key, 'trigger-2')

    const e = await stored(key)
    expect(e.variants).toEqual([{ key: 'Moon', weight: 0.01 }, { key: 'Mars', weight: 0.99 }])
    expect(e.allocationVersion).toBe(2)
    expect(e.bandit).toMatchObject({ phase: 'adaptive', note: 'thompson: reweighted to Moon 0.01, Mars 0.99' })
    expect(e.allocations.at(-1)).toMatchObject({ version: 2, epoch: 1, weights: { Moon: 0.01, Mars: 0.99 }, bandit: { algorithm: 'thompson', metric: 'conversion' } })
    expect(e.allocations.at(-1).bandit.counts.Mars.conversions).toBe(300)

    const results = await (await admin(`/v1/experiments/${key}/results`)).json<any>()
    expect(results.allocation).toMatchObject({ type: 'thompson', burnIn: 100, floor: 0.01, periodSeconds: PERIOD, metric: 'conversion', lastCheck: { phase: 'adaptive' } })
    expect(results.allocations.map((a: any) => a.weights)).toEqual([{ Moon: 1, Mars: 1 }, { Moon: 0.01, Mars: 0.99 }])
    expect(results.allocations.map((a: any) => typeof a.at)).toEqual(['string', 'string'])
    // SRM is judged per allocation, so the skewed split after the reweight is no mismatch.
    expect(results.srm.mismatch).toBe(false)
  })

  it('should reweight at most once per period, however many isolates ask', async () => {
    const key = await banditExperiment({ type: 'ucb1', periodSeconds: PERIOD, floor: 0.05 })
    await fill(key, 'Moon', 500, 50)
    await fill(key, 'Mars', 500, 100)
    advance(PERIOD + 1)
    const answers = await Promise.all(Array.from({ length: 8 }, () => writer().rebalance(key)))
    expect(answers.filter((a) => a.status === 'reweighted').length).toBeGreaterThanOrEqual(1)
    expect(answers.every((a) => ['reweighted', 'not_due', 'changed'].includes(a.status))).toBe(true)
    const e = await stored(key)
    expect(e.allocationVersion).toBe(2)
    expect(e.variants.map((v: any) => v.weight)).toEqual([0.05, 0.95])

    advance(PERIOD - 5)
    await assignOne(key, 'trigger-3') // the config cache has expired, but the period has not
    expect((await writer().rebalance(key)).status).toBe('not_due')
    expect((await stored(key)).version).toBe(e.version)
  })

  it('should keep units on their first arm after a reweight, and send new units by the new weights', async () => {
    const key = await banditExperiment()
    const units = Array.from({ length: 30 }, (_, i) => `early-${i}`)
    const before = []
    for (const u of units) before.push(await assignOne(key, u))
    expect(new Set(before.map((a) => a.variant))).toEqual(new Set(['Moon', 'Mars']))
    await fill(key, 'Moon', 1000, 100)
    await fill(key, 'Mars', 1000, 300)
    advance(PERIOD + 1)
    await assignOne(key, 'trigger-4')
    expect((await stored(key)).allocationVersion).toBe(2)

    for (const [i, u] of units.entries()) {
      expect(await assignOne(key, u)).toMatchObject({ variant: before[i].variant, reason: 'sticky', enrolled: true, allocationVersion: 2 })
    }
    const fresh = []
    for (let i = 0; i < 40; i++) fresh.push(await assignOne(key, `late-${i}`))
    expect(fresh.every((a) => a.reason === 'bandit' && a.enrolled)).toBe(true)
    expect(fresh.filter((a) => a.variant === 'Mars').length).toBeGreaterThanOrEqual(38)
  }, 30_000)

  it('should refuse a bandit configuration with a clear message', async () => {
    const res = await admin('/v1/experiments', {
      method: 'POST',
      json: { key: uniqueKey(), title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], allocation: { type: 'thompson', burnIn: 10 } },
    })
    expect(res.status).toBe(400)
    expect((await res.json<any>()).error.message).toMatch(/allocation\.burnIn: burnIn must be at least 100 units per arm/)
  })

  it('should let a running experiment switch to a bandit with PATCH', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    expect((await assignOne(key, 'u')).reason).toBe('hash')
    const patched = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { allocation: { type: 'epsilon_greedy', epsilon: 0.2 } } })
    expect(patched.status).toBe(200)
    expect(await patched.json<any>()).toMatchObject({ allocation: { type: 'epsilon_greedy', epsilon: 0.2 }, allocationVersion: 1 })
    expect((await assignOne(key, 'u')).reason).toBe('bandit')
  })
})
