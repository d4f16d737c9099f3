import { describe, expect, it } from 'vitest'
import { call, createExperiment, testEnv, uniqueKey } from './helpers'

async function expectError(res: Response, status: number, code: string, message: RegExp): Promise<void> {
  const body = await res.json<any>()
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code })
  expect(body.error.message).toMatch(message)
}

describe('/v1/events refuses bad input before counting anything', () => {
  it('should name the bad field and index of a batch', async () => {
    await expectError(await call('/v1/events', { method: 'POST', json: { events: [{ unit: 'u', name: 'click' }, { unit: '', name: 'click' }] } }), 400, 'invalid_request', /events\[1\]\.unit: must not be empty/)
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', value: 'ten' } }), 400, 'invalid_request', /value/)
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', ts: 'yesterday' } }), 400, 'invalid_request', /ts/)
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', variant: 'treatment' } }), 400, 'invalid_request', /variant/)
    await expectError(await call('/v1/events', { method: 'POST', json: [] }), 400, 'invalid_request', /at least one event/)
    await expectError(await call('/v1/events', { method: 'POST', body: 'nope', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json', /not valid JSON/)
  })

  it('should refuse more than 500 events per batch', async () => {
    const events = Array.from({ length: 501 }, (_, i) => ({ unit: `u${i}`, name: 'click' }))
    await expectError(await call('/v1/events', { method: 'POST', json: { events } }), 400, 'invalid_request', /at most 500 events/)
  })

  it('should ignore events dated in the future', async () => {
    const res = await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', ts: Date.now() + 3_600_000 } })
    expect(res.status).toBe(202)
    expect((await res.json<any>()).ignored[0]).toMatchObject({ reason: 'stale_timestamp' })
  })
})

describe.each([
  ['unreachable', () => testEnv.TEST_DOWN_URL],
  ['slower than 1 s', () => testEnv.TEST_SLOW_URL],
])('when the counter store is %s', (_name, url) => {
  const faulty = (): Env => ({ ...testEnv, UPSTASH_REDIS_REST_URL: url(), UPSTASH_REDIS_REST_TOKEN: 'x' })

  it('should still assign from hashing, and answer events with 503 and Retry-After', async () => {
    const key = uniqueKey()
    const bindings = faulty()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], metrics: [{ key: 'c', type: 'binomial', event: 'click' }] }, true, bindings)
    // Reweight so the sticky read is attempted on the hot path, then fails over to hashing.
    await call(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 3 }] }, bindings, headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } })
    const assigned = await call(`/v1/assign?unit=u1&experiments=${key}`, { bindings })
    expect(assigned.status).toBe(200)
    expect((await assigned.json<any>()).assignments[key].reason).toBe('hash')
    const events = await call('/v1/events', { method: 'POST', json: { id: 'e1', unit: 'u1', name: 'click' }, bindings })
    expect(events.status).toBe(503)
    expect(events.headers.get('retry-after')).toBe('1')
    expect((await events.json<any>()).error.code).toBe('store_unavailable')
  }, 15_000)
})
