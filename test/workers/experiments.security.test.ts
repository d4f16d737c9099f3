import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { admin, call, createExperiment, uniqueKey } from './helpers'

async function fetchWith(overrides: Partial<Env>, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`http://edgesplit.test${path}`, init), { ...env, ...overrides } as Env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

describe('admin authentication', () => {
  it('should refuse admin calls without a bearer token or with a wrong one', async () => {
    const none = await call('/v1/experiments')
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/)
    expect((await none.json<any>()).error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer/) })
    const wrong = await call('/v1/experiments', { headers: { authorization: 'Bearer not-the-token-at-all' } })
    expect(wrong.status).toBe(401)
    expect((await call('/v1/experiments', { method: 'POST', body: '{}', headers: { authorization: 'Basic abc' } })).status).toBe(401)
  })

  it('should leave assignment, health and docs public', async () => {
    expect((await call('/v1/assign?unit=u')).status).toBe(200)
    expect((await call('/health')).status).toBe(200)
    expect((await call('/openapi.json')).status).toBe(200)
  })

  it('should refuse admin calls when no ADMIN_TOKEN is set outside development, saying how to set it', async () => {
    const res = await fetchWith({ ADMIN_TOKEN: undefined, ENVIRONMENT: 'production' }, '/v1/experiments')
    expect(res.status).toBe(403)
    expect((await res.json<any>()).error).toMatchObject({ code: 'admin_token_not_set', message: expect.stringMatching(/wrangler secret put ADMIN_TOKEN/) })
  })

  it('should open admin calls without a token only in development', async () => {
    const res = await fetchWith({ ADMIN_TOKEN: undefined, ENVIRONMENT: 'development', CONFIG: (env as Env & { CONFIG_SCRATCH: KVNamespace }).CONFIG_SCRATCH }, '/v1/experiments')
    expect(res.status).toBe(200)
  })

  it('should answer a clear 503 when the deployment is misconfigured', async () => {
    const res = await fetchWith({ ADMIN_TOKEN: 'short' }, '/v1/assign?unit=u')
    expect(res.status).toBe(503)
    expect((await res.json<any>()).error).toMatchObject({ code: 'misconfigured', message: expect.stringMatching(/ADMIN_TOKEN must be at least 16 characters/) })
  })
})

describe('cross-site request forgery against the admin API', () => {
  // `npm run dev`: admin open without a token.
  const DEV = { ...env, ADMIN_TOKEN: undefined, ENVIRONMENT: 'development' } as unknown as Env
  const EVIL = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain;charset=UTF-8' }
  const state = async (key: string) => (await admin(`/v1/experiments/${key}`).then((r) => r.json<any>())).state

  async function expectRefused(res: Response, status: number, code: string): Promise<void> {
    expect(res.status).toBe(status)
    expect((await res.json<any>()).error.code).toBe(code)
  }

  it('should refuse a no-cors cross-site POST under an open dev admin without changing anything', async () => {
    const key = uniqueKey('csrf')
    await createExperiment({ key, title: 'CSRF', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    const body = JSON.stringify({ to: 'stopped' })
    await expectRefused(await call(`/v1/experiments/${key}/transition`, { method: 'POST', body, headers: EVIL, bindings: DEV }), 403, 'cross_site')
    await expectRefused(await call(`/experiments/${key}/stop`, { method: 'POST', headers: EVIL, bindings: DEV }), 403, 'cross_site')
    const seed = JSON.stringify({ name: key, state: 'inactive' })
    await expectRefused(await call('/api/experiments/update', { method: 'POST', body: seed, headers: EVIL, bindings: DEV }), 403, 'cross_site')
    await expectRefused(await call(`/v1/experiments/${key}`, { method: 'DELETE', headers: EVIL, bindings: DEV }), 403, 'cross_site')
    expect(await state(key)).toBe('running')
  })

  it('should refuse a write whose Origin is another site, or "null", even without Sec-Fetch-Site', async () => {
    const key = uniqueKey('csrf')
    await createExperiment({ key, title: 'CSRF', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    for (const origin of ['https://evil.example', 'http://edgesplit.test.evil.example', 'https://edgesplit.test', 'null']) {
      await expectRefused(await call(`/experiments/${key}/stop`, { method: 'POST', headers: { origin }, bindings: DEV }), 403, 'cross_site')
    }
    expect(await state(key)).toBe('running')
  })

  it('should refuse a write a browser marks same-site but not same-origin', async () => {
    const key = uniqueKey('csrf')
    await createExperiment({ key, title: 'CSRF', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    await expectRefused(await call(`/experiments/${key}/stop`, { method: 'POST', headers: { 'sec-fetch-site': 'same-site' }, bindings: DEV }), 403, 'cross_site')
    expect(await state(key)).toBe('running')
  })

  it('should refuse cross-site writes in production too, even with the right token', async () => {
    const key = uniqueKey('csrf')
    await createExperiment({ key, title: 'CSRF', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    await expectRefused(await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'paused' }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }), 403, 'cross_site')
    expect(await state(key)).toBe('running')
  })

  it('should refuse admin writes with a text/plain body or a body without content type (415), in development and production', async () => {
    const key = uniqueKey('csrf')
    await createExperiment({ key, title: 'CSRF', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    const body = JSON.stringify({ to: 'paused' })
    const plain = { 'content-type': 'text/plain' }
    await expectRefused(await call(`/v1/experiments/${key}/transition`, { method: 'POST', body, headers: plain, bindings: DEV }), 415, 'unsupported_media_type')
    await expectRefused(await admin(`/v1/experiments/${key}/transition`, { method: 'POST', body, headers: plain }), 415, 'unsupported_media_type')
    await expectRefused(await call(`/v1/experiments/${key}/transition`, { method: 'POST', body: new Blob([body]), bindings: DEV }), 415, 'unsupported_media_type')
    await expectRefused(await call('/api/experiments/update', { method: 'POST', body: JSON.stringify({ name: key, state: 'inactive' }), headers: plain, bindings: DEV }), 415, 'unsupported_media_type')
    expect(await state(key)).toBe('running')
  })

  it('should keep same-origin JSON writes (the dashboard) and body-less curl POSTs working', async () => {
    const key = uniqueKey('csrf')
    await createExperiment({ key, title: 'CSRF', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] }, false)
    const start = await call(`/experiments/${key}/start`, { method: 'POST', bindings: DEV })
    expect(start.status).toBe(200)
    expect(await state(key)).toBe('running')
    const dashboard = { origin: 'http://edgesplit.test', 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }
    const paused = await call(`/v1/experiments/${key}/transition`, { method: 'POST', body: JSON.stringify({ to: 'paused' }), headers: dashboard, bindings: DEV })
    expect(paused.status).toBe(200)
    const typed = { 'content-type': 'application/merge-patch+json', 'sec-fetch-site': 'none' }
    const resumed = await admin(`/v1/experiments/${key}/transition`, { method: 'POST', body: JSON.stringify({ to: 'running' }), headers: typed })
    expect(resumed.status).toBe(200)
    expect(await state(key)).toBe('running')
  })

  it('should leave reads and public write routes alone', async () => {
    expect((await call('/v1/experiments', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, bindings: DEV })).status).toBe(200)
    const beacon = await call('/v1/events', { method: 'POST', body: JSON.stringify({ unit: 'u', name: 'pageview' }), headers: EVIL })
    expect(beacon.status).toBe(202)
  })
})
