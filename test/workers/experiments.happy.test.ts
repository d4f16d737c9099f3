import { describe, expect, it } from 'vitest'
import { admin, call, uniqueKey } from './helpers'

const body = (key: string) => ({
  key,
  title: 'Checkout button',
  variants: [
    { key: 'control', weight: 1 },
    { key: 'treatment', weight: 1 },
  ],
  metrics: [
    { key: 'purchase', type: 'binomial', event: 'purchase' },
    { key: 'revenue', type: 'mean', event: 'purchase', role: 'guardrail', cap: 500 },
  ],
})

describe('/v1/experiments', () => {
  it('should create a draft with defaults, an ETag and a Location', async () => {
    const key = uniqueKey()
    const res = await admin('/v1/experiments', { method: 'POST', json: body(key) })
    expect(res.status).toBe(201)
    expect(res.headers.get('etag')).toBe('"1"')
    expect(res.headers.get('location')).toBe(`/v1/experiments/${key}`)
    const e = await res.json<any>()
    expect(e).toMatchObject({ key, state: 'draft', epoch: 0, version: 1, allocationVersion: 1, coverage: 1, qaOverrides: false, alpha: 0.05, power: 0.8, startedAt: null, hashVersion: 1 })
  })

  it('should list and get experiments', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: body(key) })
    const list = await (await admin('/v1/experiments')).json<any>()
    expect(list.experiments.map((e: any) => e.key)).toContain(key)
    const one = await admin(`/v1/experiments/${key}`)
    expect(one.status).toBe(200)
    expect(one.headers.get('etag')).toBe('"1"')
    expect((await one.json<any>()).key).toBe(key)
  })

  it('should edit with If-Match and bump the version', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: body(key) })
    const res = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: 'Renamed', coverage: 0.5 }, headers: { 'if-match': '"1"' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"2"')
    expect(await res.json()).toMatchObject({ title: 'Renamed', coverage: 0.5, version: 2 })
  })

  it('should walk the whole lifecycle: start, pause, resume, roll out, restart, stop', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: body(key) })
    const go = async (to: string, variant?: string) => {
      const res = await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: variant ? { to, variant } : { to } })
      expect(res.status).toBe(200)
      return res.json<any>()
    }
    expect(await go('running')).toMatchObject({ state: 'running', epoch: 1 })
    const assigned = async () => (await (await call(`/v1/assign?unit=u7&experiments=${key}`)).json<any>()).assignments[key]
    expect((await assigned()).reason).toBe('hash')
    expect(await go('paused')).toMatchObject({ state: 'paused', epoch: 1 })
    expect(await assigned()).toMatchObject({ reason: 'fallback', variant: 'control' })
    expect(await go('running')).toMatchObject({ state: 'running', epoch: 2 })
    expect(await go('rollout', 'treatment')).toMatchObject({ state: 'rollout', rolloutVariant: 'treatment' })
    expect(await assigned()).toMatchObject({ reason: 'rollout', variant: 'treatment' })
    expect(await go('running')).toMatchObject({ state: 'running', epoch: 3, rolloutVariant: null, endedAt: null })
    const stopped = await go('stopped')
    expect(stopped.state).toBe('stopped')
    expect(stopped.endedAt).not.toBeNull()
    expect(await assigned()).toMatchObject({ reason: 'fallback' })
  })

  it('should raise the allocation version when a running experiment is reweighted', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: body(key) })
    await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' } })
    const res = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [{ key: 'control', weight: 9 }, { key: 'treatment', weight: 1 }] } })
    const e = await res.json<any>()
    expect(e.allocationVersion).toBe(2)
    expect(e.allocations.map((a: any) => a.weights)).toEqual([{ control: 1, treatment: 1 }, { control: 9, treatment: 1 }])
  })

  it('should delete a draft', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: body(key) })
    expect((await admin(`/v1/experiments/${key}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin(`/v1/experiments/${key}`)).status).toBe(404)
  })
})

describe('/openapi.json and /docs', () => {
  it('should describe every route with schemas from the validators', async () => {
    const doc = await (await call('/openapi.json')).json<any>()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/assign', '/v1/experiments', '/v1/experiments/{key}', '/v1/experiments/{key}/transition', '/health']))
    expect(doc.components.schemas.ExperimentCreate.required).toEqual(expect.arrayContaining(['key', 'title', 'variants']))
    expect(doc.components.schemas.AssignRequest.properties.unit.type).toBe('string')
    const docs = await call('/docs')
    expect(docs.headers.get('content-type')).toMatch(/text\/html/)
    expect(await docs.text()).toContain('/openapi.json')
  })

  it('should report health', async () => {
    const res = await call('/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, environment: 'test' })
  })
})
