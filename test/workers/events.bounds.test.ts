import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, STORES, testEnv, uniqueKey } from './helpers'

const DAY = 24 * 3600 * 1000
const twoWay = [
  { key: 'control', weight: 1 },
  { key: 'treatment', weight: 1 },
]
const metrics = [
  { key: 'clicked', type: 'binomial', event: 'click' },
  { key: 'revenue', type: 'mean', event: 'purchase', role: 'secondary' },
  { key: 'capped', type: 'mean', event: 'order', role: 'secondary', cap: 100 },
]

async function expectError(res: Response, status: number, code: string, message: RegExp): Promise<void> {
  const body = await res.json<any>()
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code })
  expect(body.error.message).toMatch(message)
}

const postRaw = (body: string, bindings?: Env) => call('/v1/events', { method: 'POST', body, headers: { 'content-type': 'application/json' }, bindings })

describe.each(STORES)('event values and timestamps are bounded with the %s store', (_store, bindings) => {
  const setup = async (unit: string) => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, metrics }, true, bindings)
    const res = await call(`/v1/assign?unit=${unit}&experiments=${key}`, { bindings })
    return { key, variant: (await res.json<any>()).assignments[key].variant as string }
  }
  const post = async (events: unknown) => {
    const res = await call('/v1/events', { method: 'POST', json: events, bindings })
    expect(res.status).toBe(202)
    return res.json<any>()
  }
  const metricOf = async (key: string, variant: string, metric: string) =>
    (await (await admin(`/v1/experiments/${key}/counts`, { bindings })).json<any>()).counters.epochs['1'].variants[variant].metrics[metric]

  it('should ignore a value beyond ±1e12 in a batch, count the rest, and keep the sums finite', async () => {
    const { key, variant } = await setup('big-spender')
    const answer = await post([
      { id: `b1-${key}`, unit: 'big-spender', name: 'purchase', value: 1e200 },
      { id: `b2-${key}`, unit: 'big-spender', name: 'purchase', value: 30 },
      { id: `b3-${key}`, unit: 'big-spender', name: 'purchase', value: -1e12 - 1 },
    ])
    expect(answer).toEqual({
      accepted: 1,
      duplicate: 0,
      ignored: [
        { index: 0, id: `b1-${key}`, reason: 'invalid_value', message: expect.stringMatching(/^value: 1e\+200 .*1e\+?12/) },
        { index: 2, id: `b3-${key}`, reason: 'invalid_value', message: expect.stringMatching(/^value: -1000000000001 .*1e\+?12/) },
      ],
    })
    expect(await post({ id: `b4-${key}`, unit: 'big-spender', name: 'purchase', value: 12 })).toMatchObject({ accepted: 1 })
    expect(await metricOf(key, variant, 'revenue')).toEqual({ converters: 1, sum: 42, sumSq: 42 * 42 })
  })

  it('should accept values at the bounds, negative values and -0', async () => {
    const { key, variant } = await setup('edge-spender')
    const answer = await post([
      { id: `e1-${key}`, unit: 'edge-spender', name: 'purchase', value: 1e12 },
      { id: `e2-${key}`, unit: 'edge-spender', name: 'purchase', value: -1e12 },
      { id: `e3-${key}`, unit: 'edge-spender', name: 'purchase', value: -0 },
      { id: `e4-${key}`, unit: 'edge-spender', name: 'purchase', value: -5 },
    ])
    expect(answer).toEqual({ accepted: 4, duplicate: 0, ignored: [] })
    expect(await metricOf(key, variant, 'revenue')).toEqual({ converters: 1, sum: -5, sumSq: 25 })
  })

  it('should winsorize a capped mean only from above, so refunds lower the total', async () => {
    const { key, variant } = await setup('refunder')
    await post([150, -30, -0].map((value, i) => ({ id: `r${i}-${key}`, unit: 'refunder', name: 'order', value })))
    // 150 → capped 100; 150 − 30 = 120 → still capped 100; -0 changes nothing.
    expect(await metricOf(key, variant, 'capped')).toEqual({ converters: 1, sum: 100, sumSq: 10000 })
    await post({ id: `r9-${key}`, unit: 'refunder', name: 'order', value: -70 })
    expect(await metricOf(key, variant, 'capped')).toEqual({ converters: 1, sum: 50, sumSq: 2500 })
  })

  it('should count two identical events without an id twice (an id makes retries exact)', async () => {
    const { key, variant } = await setup('repeat-buyer')
    const event = { unit: 'repeat-buyer', name: 'purchase', value: 7 }
    const answer = await post([event, event])
    expect(answer).toEqual({ accepted: 2, duplicate: 0, ignored: [] })
    expect(await post(event)).toMatchObject({ accepted: 1, duplicate: 0 })
    expect(await metricOf(key, variant, 'revenue')).toEqual({ converters: 1, sum: 21, sumSq: 441 })
  })

  it('should ignore events older than 7 days or dated after now + 5 minutes, saying which', async () => {
    const { key, variant } = await setup('time-traveller')
    const now = Date.now()
    const answer = await post([
      { id: `t1-${key}`, unit: 'time-traveller', name: 'purchase', value: 1, ts: now - 8 * DAY },
      { id: `t2-${key}`, unit: 'time-traveller', name: 'purchase', value: 2, ts: '0001-01-01T00:00:00Z' },
      { id: `t3-${key}`, unit: 'time-traveller', name: 'purchase', value: 4, ts: '9999-12-31T23:59:59Z' },
      { id: `t4-${key}`, unit: 'time-traveller', name: 'purchase', value: 8, ts: now - 6 * DAY },
      { id: `t5-${key}`, unit: 'time-traveller', name: 'purchase', value: 16, ts: new Date(now + 60_000).toISOString() },
    ])
    expect(answer).toEqual({
      accepted: 2,
      duplicate: 0,
      ignored: [
        { index: 0, id: `t1-${key}`, reason: 'stale_timestamp', message: expect.stringMatching(/too old/) },
        { index: 1, id: `t2-${key}`, reason: 'stale_timestamp', message: expect.stringMatching(/0001-01-01T00:00:00\.000Z is too old/) },
        { index: 2, id: `t3-${key}`, reason: 'stale_timestamp', message: expect.stringMatching(/in the future/) },
      ],
    })
    expect(await metricOf(key, variant, 'revenue')).toEqual({ converters: 1, sum: 24, sumSq: 576 })
  })

  it('should ignore a ts no date can hold in a batch, and count the rest', async () => {
    const { key } = await setup('far-future')
    const answer = await post([
      { id: `f1-${key}`, unit: 'far-future', name: 'click', ts: 1e300 },
      { id: `f2-${key}`, unit: 'far-future', name: 'click' },
    ])
    expect(answer).toEqual({ accepted: 1, duplicate: 0, ignored: [{ index: 0, id: `f1-${key}`, reason: 'invalid_timestamp', message: expect.stringMatching(/^ts: 1e\+300 is not a date/) }] })
  })
})

describe('/v1/events refuses an unbounded single event with a 400', () => {
  it('should refuse a value beyond ±1e12', async () => {
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', value: 1e200 } }), 400, 'invalid_request', /^value: .*1e\+?12/)
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', value: -2e12 } }), 400, 'invalid_request', /^value: /)
  })

  it('should refuse values that are not finite JSON numbers', async () => {
    await expectError(await postRaw('{"unit":"u","name":"click","value":1e400}'), 400, 'invalid_request', /value/)
    await expectError(await postRaw('{"unit":"u","name":"click","value":"1e400"}'), 400, 'invalid_request', /value/)
    await expectError(await postRaw('{"events":[{"unit":"u","name":"click","value":-1e400}]}'), 400, 'invalid_request', /events\[0\]\.value/)
  })

  it('should refuse a ts no date can hold, never a 500', async () => {
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', ts: 1e300 } }), 400, 'invalid_request', /^ts: /)
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', ts: 8.64e15 + 1 } }), 400, 'invalid_request', /^ts: /)
    await expectError(await postRaw('{"unit":"u","name":"click","ts":1e400}'), 400, 'invalid_request', /ts/)
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', ts: -1 } }), 400, 'invalid_request', /ts/)
    await expectError(await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', ts: '+275760-09-13T00:00:00.001Z' } }), 400, 'invalid_request', /ts/)
  })

  it('should answer a single stale event with 202 and the reason, as a batch does', async () => {
    const res = await call('/v1/events', { method: 'POST', json: { unit: 'u', name: 'click', ts: Date.now() - 30 * DAY } })
    expect(res.status).toBe(202)
    expect((await res.json<any>()).ignored).toEqual([{ index: 0, id: expect.any(String), reason: 'stale_timestamp', message: expect.stringMatching(/too old/) }])
  })
})

describe('EVENT_MAX_AGE_SECONDS narrows the accepted window', () => {
  const withAge = (age: string): Env => ({ ...testEnv, EVENT_MAX_AGE_SECONDS: age })

  it('should ignore events older than the configured age', async () => {
    const bindings = withAge('3600')
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, metrics }, true, bindings)
    await call(`/v1/assign?unit=hourly&experiments=${key}`, { bindings })
    const now = Date.now()
    const res = await call('/v1/events', {
      method: 'POST',
      bindings,
      json: [
        { id: `h1-${key}`, unit: 'hourly', name: 'click', ts: now - 2 * 3600_000 },
        { id: `h2-${key}`, unit: 'hourly', name: 'click', ts: now - 1800_000 },
      ],
    })
    expect(await res.json<any>()).toEqual({ accepted: 1, duplicate: 0, ignored: [expect.objectContaining({ index: 0, reason: 'stale_timestamp', message: expect.stringMatching(/older than 3600 s/) })] })
  })

  it('should never widen the window beyond the 7 days event ids are remembered', async () => {
    const res = await call('/v1/events', { method: 'POST', bindings: withAge('31536000'), json: [{ unit: 'u', name: 'click', ts: Date.now() - 8 * DAY }] })
    expect((await res.json<any>()).ignored).toEqual([expect.objectContaining({ reason: 'stale_timestamp' })])
  })

  it('should refuse a malformed setting as a misconfiguration', async () => {
    await expectError(await call('/v1/events', { method: 'POST', bindings: withAge('a week'), json: { unit: 'u', name: 'click' } }), 503, 'misconfigured', /EVENT_MAX_AGE_SECONDS/)
  })
})

describe('seed 001 POST /events bounds its timestamps', () => {
  it('should answer a ts no date can hold with 400, never a 500', async () => {
    for (const ts of [-1e300, 1e300, 'not a date', '+275760-09-13T00:00:00.001Z']) {
      const res = await call('/events', { method: 'POST', json: { ts, device_id: 'seed-dev', source: 'browser', event: 'button_click' } })
      expect(res.status).toBe(400)
      expect((await res.json<any>()).error).toMatch(/ts/)
    }
  })

  it('should log but not count browser events older than 7 days', async () => {
    const key = uniqueKey('seed')
    await createExperiment({ key, title: 'T', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }], metrics: [{ key: 'button_click', type: 'binomial', event: 'button_click' }] })
    const device = `old-${key}`
    const group = (await (await call(`/api/expgroups?device_id=${device}`)).json<any>())[key].group
    const old = new Date(Date.now() - 8 * DAY).toISOString()
    const res = await call('/events', { method: 'POST', json: { ts: old, device_id: device, source: 'browser', event: 'button_click' } })
    expect(await res.json()).toEqual({ status: 'ok' })
    const variants = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters.epochs['1'].variants
    expect(variants[group].metrics?.button_click?.converters ?? 0).toBe(0)
    expect((await (await admin('/events')).json<any[]>()).filter((e) => e.device_id === device && e.event === 'button_click')).toEqual([expect.objectContaining({ ts: old })])
  })
})
