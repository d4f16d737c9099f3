// `/v1/assign` with `confirm`: the exposures are written before the answer, which lists the ones the
// store acknowledged (`logged`), so a caller may assign with track=false afterwards (docs/scale.md).
// Store calls are counted at the Durable Object binding (test/workers/watched-counters.ts).
import { describe, expect, it } from 'vitest'
import { counterKeyOf } from '../../src/core/compile'
import type { Experiment } from '../../src/core/experiment'
import { admin, call, createExperiment, env, STORES, uniqueKey } from './helpers'
import { objectNames, watchedCounters } from './watched-counters'

const twoWay = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
]

const exposures = async (key: string, bindings?: Env) => {
  const counters = (await (await admin(`/v1/experiments/${key}/counts`, { bindings })).json<any>()).counters
  return Object.values<any>(counters.epochs['1']?.variants ?? {}).reduce((n, v) => n + v.exposures, 0)
}

describe.each(STORES)('/v1/assign?confirm in the %s store', (_, bindings) => {
  it('should list the experiments whose exposure the store holds, and hold them', async () => {
    const keys = [uniqueKey('confirm'), uniqueKey('confirm')]
    for (const key of keys) await createExperiment({ key, title: 'T', variants: twoWay }, true, bindings)
    const res = await call(`/v1/assign?unit=c-${keys[0]}&experiments=${keys.join(',')}&confirm=1`, { bindings })
    expect(res.status).toBe(200)
    const body = await res.json<any>()
    expect(body.logged).toEqual(keys)
    for (const key of keys) {
      expect(body.assignments[key].reason).toBe('hash')
      expect(await exposures(key, bindings)).toBe(1)
    }
    const posted = await call('/v1/assign', { method: 'POST', json: { unit: `p-${keys[0]}`, experiments: [keys[1]], confirm: true }, bindings })
    expect((await posted.json<any>()).logged).toEqual([keys[1]])
    expect(await exposures(keys[1]!, bindings)).toBe(2)
  })
})

describe('/v1/assign?confirm', () => {
  it('should let the caller switch to track=false: that call makes no store write, and the count stays', async () => {
    const key = uniqueKey('then')
    await createExperiment({ key, title: 'T', variants: twoWay })
    const { calls, namespace } = watchedCounters()
    const bindings = { ...env, COUNTERS: namespace }
    const first = await (await call(`/v1/assign?unit=t-${key}&experiments=${key}&confirm=true`, { bindings })).json<any>()
    expect(first.logged).toEqual([key])
    expect(calls.map((c) => c.method)).toEqual(['recordExposures'])
    const again = await (await call(`/v1/assign?unit=t-${key}&experiments=${key}&track=false`, { bindings })).json<any>()
    expect(again.assignments[key].variant).toBe(first.assignments[key].variant)
    expect(again.logged).toBeUndefined()
    expect(calls).toHaveLength(1)
    expect(await exposures(key)).toBe(1)
  })

  it('should still answer 200 with the assignments when the store fails, listing none as logged', async () => {
    const [broken, healthy] = [uniqueKey('down'), uniqueKey('up')]
    for (const key of [broken, healthy]) await createExperiment({ key, title: 'T', variants: twoWay })
    const stored = await (await admin(`/v1/experiments/${broken}`)).json<Experiment>()
    const down = watchedCounters(new Set(objectNames(counterKeyOf(stored))))
    const res = await call(`/v1/assign?unit=d-${broken}&experiments=${broken},${healthy}&confirm=1`, { bindings: { ...env, COUNTERS: down.namespace } })
    expect(res.status).toBe(200)
    const body = await res.json<any>()
    expect(Object.keys(body.assignments)).toEqual([broken, healthy])
    expect(body.assignments[broken].enrolled).toBe(true)
    // The write failed as a whole, so neither is listed (the healthy shard may hold its half: it counts once when sent again).
    expect(body.logged).toEqual([])
    expect(down.calls.filter((c) => c.method === 'recordExposures').length).toBeGreaterThan(0)
    expect(await exposures(broken)).toBe(0)
  })

  it('should add no logged field and write after the answer without confirm', async () => {
    const key = uniqueKey('plain')
    await createExperiment({ key, title: 'T', variants: twoWay })
    const body = await (await call(`/v1/assign?unit=n-${key}&experiments=${key}&confirm=0`)).json<any>()
    expect(body).not.toHaveProperty('logged')
    expect(await exposures(key)).toBe(1)
  })

  it('should refuse confirm with track=false, and a confirm that is not a flag, with 400', async () => {
    for (const res of [
      await call('/v1/assign?unit=u&confirm=1&track=false'),
      await call('/v1/assign?unit=u&track=false&confirm=true'),
      await call('/v1/assign', { method: 'POST', json: { unit: 'u', confirm: true, track: false } }),
    ]) {
      expect(res.status).toBe(400)
      const body = await res.json<any>()
      expect(body.error.code).toBe('invalid_request')
      expect(body.error.message).toMatch(/^confirm: cannot be used with track=false/)
    }
    const bad = await call('/v1/assign?unit=u&confirm=yes')
    expect(bad.status).toBe(400)
    expect((await bad.json<any>()).error.message).toMatch(/confirm: expected 1, true, 0 or false, got "yes"/)
    const typed = await call('/v1/assign', { method: 'POST', json: { unit: 'u', confirm: 'yes' } })
    expect(typed.status).toBe(400)
    expect((await typed.json<any>()).error.message).toMatch(/^confirm: /)
  })
})
