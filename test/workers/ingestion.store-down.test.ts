import { describe, expect, it } from 'vitest'
import { ADMIN, call, createExperiment, testEnv, uniqueKey } from './helpers'

// The counter store answers nothing: every ingestion path must refuse with a retryable 503.
const down = (): Env => ({ ...testEnv, UPSTASH_REDIS_REST_URL: testEnv.TEST_DOWN_URL, UPSTASH_REDIS_REST_TOKEN: 'x' })

describe('every ingestion path when the counter store is unreachable', () => {
  it('should answer seed 001 POST /events with 503, Retry-After and its own error body', async () => {
    const key = uniqueKey('down')
    const bindings = down()
    await createExperiment({ key, title: 'T', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }], metrics: [{ key: 'click', type: 'binomial', event: 'click' }] }, true, bindings)
    const res = await call('/events', { method: 'POST', json: { device_id: `d-${key}`, source: 'browser', event: 'click' }, bindings })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toEqual({ error: expect.stringMatching(/retry the same/) })
  }, 15_000)

  it('should answer seed 000 POST /log with 503 store_unavailable and Retry-After, naming a retry of the same request', async () => {
    const bindings = down()
    const created = await call('/experiments', {
      method: 'POST',
      json: { name: 'M', description: '', control_model_id: 'm1', treatment_model_id: 'm2' },
      headers: ADMIN,
      bindings,
    })
    const { id } = await created.json<any>()
    expect((await call(`/experiments/${id}/start`, { method: 'POST', headers: ADMIN, bindings })).status).toBe(200)
    const routed = await (await call('/route', { method: 'POST', json: { user_id: 'u1', experiment_id: id }, bindings })).json<any>()
    const res = await call('/log', { method: 'POST', json: { experiment_id: id, user_id: 'u1', variant_name: routed.variant_name, converted: true }, bindings })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    const body = await res.json<any>()
    expect(body.error.code).toBe('store_unavailable')
    expect(body.error.message).toMatch(/retry the same/)
  }, 15_000)
})
