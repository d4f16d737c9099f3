import { describe, expect, it } from 'vitest'
import { admin, call } from './helpers'

const create = async (extra: Record<string, unknown> = {}) => {
  const res = await admin('/experiments', {
    method: 'POST',
    json: { name: 'Model v2 Test', description: 'Testing new model version', control_model_id: 'model-v1', treatment_model_id: 'model-v2', ...extra },
  })
  expect(res.status).toBe(200)
  return res.json<any>()
}
const route = async (user: string, experimentId?: string) =>
  (await call('/route', { method: 'POST', json: experimentId ? { user_id: user, experiment_id: experimentId } : { user_id: user } })).json<any>()
const log = (id: string, user: string, variant: string, converted: boolean, value?: number) =>
  call('/log', { method: 'POST', json: { experiment_id: id, user_id: user, variant_name: variant, converted, ...(value === undefined ? {} : { value }) } })
const counters = async (id: string) => (await (await admin(`/v1/experiments/${id}/counts`)).json<any>()).counters.epochs['1'].variants

describe('seed 000 API', () => {
  it('should run the seed\'s usage example: create, start, route, log what /route served, read results', async () => {
    const e = await create({ traffic_percentage: 50 })
    expect(Object.keys(e).sort()).toEqual(['confidence_level', 'created_at', 'description', 'id', 'min_sample_size', 'name', 'started_at', 'status', 'traffic_percentage', 'variants'])
    expect(e).toMatchObject({ name: 'Model v2 Test', status: 'draft', traffic_percentage: 50, min_sample_size: 1000, confidence_level: 0.95, started_at: null })
    expect(e.variants).toEqual([{ name: 'control', model_id: 'model-v1', weight: 0.5 }, { name: 'treatment', model_id: 'model-v2', weight: 0.5 }])
    expect(await (await admin(`/experiments/${e.id}/start`, { method: 'POST' })).json()).toEqual({ status: 'started' })
    // At 50% traffic a given user may be outside the experiment; the client logs only what it was served.
    const users = Array.from({ length: 8 }, (_, i) => `user-${456 + i}`)
    let logged = 0
    for (const user of users) {
      const routed = await route(user)
      expect(Object.keys(routed).sort()).toEqual(['experiment_id', 'model_id', 'variant_name'])
      if (routed.variant_name === null) continue
      expect(routed.experiment_id).toBe(e.id)
      expect(routed.model_id).toBe(routed.variant_name === 'control' ? 'model-v1' : 'model-v2')
      expect(await (await log(e.id, user, routed.variant_name, true)).json()).toEqual({ status: 'logged' })
      logged++
    }
    expect(logged).toBeGreaterThan(0)
    const variants = await counters(e.id)
    const exposures = Object.values<any>(variants).reduce((n, v) => n + v.exposures, 0)
    expect(exposures).toBe(logged)
    expect((await (await admin(`/experiments/${e.id}`)).json<any>()).status).toBe('running')
    expect((await call(`/experiments/${e.id}`)).status).toBe(401)
    expect(await (await admin(`/experiments/${e.id}/stop`, { method: 'POST' })).json()).toEqual({ status: 'stopped' })
    expect((await admin('/experiments/nope/start', { method: 'POST' })).status).toBe(404)
  })

  it('should count the seed client\'s /route then /log flow, one exposure per user, conversions under the served variant', async () => {
    const e = await create()
    await admin(`/experiments/${e.id}/start`, { method: 'POST' })
    const served: Record<string, string> = {}
    // The experiment id (the hash salt) is random: with 24 users both variants get some but for odds of 2^-23.
    for (const user of Array.from({ length: 24 }, (_, i) => `a${i + 1}`)) {
      served[user] = (await route(user, e.id)).variant_name
      expect((await log(e.id, user, served[user]!, user !== 'a1')).status).toBe(200)
      expect((await log(e.id, user, served[user]!, false)).status).toBe(200) // a second request: same exposure
    }
    const variants = await counters(e.id)
    for (const v of ['control', 'treatment']) {
      const users = Object.keys(served).filter((u) => served[u] === v)
      expect(variants[v]?.exposures ?? 0, v).toBe(users.length)
      expect(variants[v]?.metrics?.conversion?.converters ?? 0, v).toBe(users.filter((u) => u !== 'a1').length)
    }
    const results = await (await admin(`/experiments/${e.id}/results`)).json<any>()
    expect(results).toMatchObject({ control_samples: variants.control.exposures, treatment_samples: variants.treatment.exposures })
    const bad = await log(e.id, 'u', 'blue', true)
    expect(bad.status).toBe(400)
    expect((await bad.json<any>()).error.message).toMatch(/variant_name: "blue" is not one of control, treatment/)
  })

  it('should count two equal conversions of one user twice for a mean metric', async () => {
    const e = await create()
    await admin(`/experiments/${e.id}/start`, { method: 'POST' })
    const variant = (await route('repeat-buyer', e.id)).variant_name
    expect((await log(e.id, 'repeat-buyer', variant, true, 5)).status).toBe(200)
    expect((await log(e.id, 'repeat-buyer', variant, true, 5)).status).toBe(200)
    const v = (await counters(e.id))[variant]
    expect(v.metrics.value).toMatchObject({ converters: 1, sum: 10, sumSq: 100 })
    expect(v.metrics.conversion.converters).toBe(1)
  })

  it('should count a conversion retried with the same event_id once, and refuse a value beyond ±1e12', async () => {
    const e = await create()
    await admin(`/experiments/${e.id}/start`, { method: 'POST' })
    const variant = (await route('retrier', e.id)).variant_name
    const send = (json: Record<string, unknown>) => call('/log', { method: 'POST', json: { experiment_id: e.id, user_id: 'retrier', variant_name: variant, converted: true, ...json } })
    expect((await send({ value: 7, event_id: 'order-1' })).status).toBe(200)
    expect((await send({ value: 7, event_id: 'order-1' })).status).toBe(200)
    const huge = await send({ value: 1e13 })
    expect(huge.status).toBe(400)
    expect((await huge.json<any>()).error.message).toMatch(/value/)
    expect((await counters(e.id))[variant].metrics.value).toMatchObject({ converters: 1, sum: 7 })
  })

  it('should answer 404 in the shared envelope for an unknown experiment', async () => {
    const res = await log('nope', 'u', 'control', true)
    expect(res.status).toBe(404)
    expect(await res.json<any>()).toMatchObject({ error: { code: 'not_found' } })
  })
})
