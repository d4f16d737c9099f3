import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { call } from './helpers'

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
