import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, env, STORES, uniqueKey } from './helpers'

const kvKeys = async () => (await env.CONFIG.list()).keys.map((k) => k.name).sort()
const post = (body: Record<string, unknown>) => call('/events', { method: 'POST', json: body })
const listed = async () => {
  const res = await admin('/events')
  expect(res.status).toBe(200)
  return res.json<any[]>()
}

describe('seed 001 recent events', () => {
  it('should write nothing to Workers KV for public POST /events and GET /api/expgroups', async () => {
    const key = uniqueKey('ev')
    await createExperiment({ key, title: 'T', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }], metrics: [{ key: 'click', type: 'binomial', event: 'click' }] })
    const before = await kvKeys()
    expect((await post({ ts: new Date().toISOString(), device_id: `kv-${key}`, source: 'browser', event: 'click', params: { a: 1 } })).status).toBe(200)
    expect((await post({ device_id: `kv-${key}`, source: 'backend', event: 'order' })).status).toBe(200)
    expect((await call(`/api/expgroups?device_id=kv-${key}`)).status).toBe(200)
    expect(await kvKeys()).toEqual(before)
    const mine = (await listed()).filter((e) => e.device_id === `kv-${key}`)
    expect(mine.map((e) => e.event)).toEqual(['click', 'order', 'exp_groups'])
  })

  it('should list events newest last, summarising oversized params', async () => {
    const device = `order-${uniqueKey('ev')}`
    for (let i = 0; i < 5; i++) await post({ device_id: device, source: 'backend', event: `step_${i}`, params: { i } })
    await post({ device_id: device, source: 'backend', event: 'big', params: { blob: 'x'.repeat(4000) }, exp_group: 'y'.repeat(3000) })
    const mine = (await listed()).filter((e) => e.device_id === device)
    expect(mine.map((e) => e.event)).toEqual(['step_0', 'step_1', 'step_2', 'step_3', 'step_4', 'big'])
    expect(mine[0]).toEqual({ ts: expect.any(String), device_id: device, source: 'backend', event: 'step_0', exp_group: null, params: { i: 0 } })
    expect(mine[5].params).toMatchObject({ truncated: true })
    expect(mine[5].exp_group).toBeNull() // the client's claim is never logged; the device was assigned nothing
    expect(JSON.stringify(mine[5]).length).toBeLessThan(1024)
  })

  it('should keep only the last 1000 events, oldest dropped first', async () => {
    const device = `ring-${uniqueKey('ev')}`
    // Filled through the log itself in three appends (1,050 requests would take seconds), then read publicly.
    const log = env.EVENT_LOG.get(env.EVENT_LOG.idFromName('global'))
    for (let g = 0; g < 3; g++) {
      await log.append(Array.from({ length: 350 }, (_, i) => ({ ts: new Date().toISOString(), device_id: device, source: 'backend', event: 'ring', exp_group: null, params: { n: g * 350 + i } })))
    }
    await post({ device_id: device, source: 'backend', event: 'last' })
    const all = await listed()
    expect(all).toHaveLength(1000)
    expect(all.map((e) => e.params.n ?? 'last')).toEqual([...Array.from({ length: 999 }, (_, i) => 51 + i), 'last'])
  })

  describe.each(STORES)('events of /v1/events with the %s store', (_store, bindings) => {
    const moonMars = (key: string) => ({ key, title: 'T', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }], metrics: [{ key: 'click', type: 'binomial', event: 'button_click' }] })
    const groupOf = async (key: string, unit: string) => (await (await call(`/v1/assign?unit=${unit}&experiments=${key}`, { bindings })).json<any>()).assignments[key].variant

    it("should list native events in seed 001's shape under the server's group", async () => {
      const key = uniqueKey('ev')
      await createExperiment(moonMars(key), true, bindings)
      const unit = `native-${key}`
      const group = await groupOf(key, unit)
      const ts = '2026-11-30T12:00:00.000Z'
      const res = await call('/v1/events', { method: 'POST', json: { events: [{ id: `pv-${key}`, unit, name: 'pageview', ts: Date.now() }, { id: `c-${key}`, unit, name: 'button_click', value: 2 }] }, bindings })
      expect(res.status).toBe(202)
      await call('/v1/events', { method: 'POST', json: { unit: `stranger-${key}`, name: 'button_click', ts }, bindings })
      const all = await listed()
      const mine = all.filter((e) => e.device_id === unit)
      expect(mine.map((e) => [e.event, e.source, e.exp_group?.[key]])).toEqual([
        ['pageview', 'api', group],
        ['button_click', 'api', group],
      ])
      expect(mine[1]).toEqual({ ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), device_id: unit, source: 'api', event: 'button_click', exp_group: expect.any(Object), params: { value: 2 } })
      // A unit the server never assigned is listed without a group.
      expect(all.filter((e) => e.device_id === `stranger-${key}`)).toEqual([{ ts, device_id: `stranger-${key}`, source: 'api', event: 'button_click', exp_group: null, params: {} }])
    })

    it("should mark events sent by the visitor's own page (its id cookie is the unit) as browser events, and never write KV", async () => {
      const key = uniqueKey('ev')
      await createExperiment(moonMars(key), true, bindings)
      const unit = `visitor-${key}`
      const group = await groupOf(key, unit)
      const before = await kvKeys()
      // The tracking script posts text/plain with the page's cookies.
      const body = JSON.stringify({ events: [{ id: `b-${key}`, unit, name: 'button_click' }] })
      const res = await call('/v1/events', { method: 'POST', body, headers: { 'content-type': 'text/plain', cookie: `edgesplit_uid=${unit}` }, bindings })
      expect(res.status).toBe(202)
      expect(await kvKeys()).toEqual(before)
      const mine = (await listed()).filter((e) => e.device_id === unit)
      expect(mine).toEqual([expect.objectContaining({ source: 'browser', event: 'button_click', exp_group: expect.objectContaining({ [key]: group }) })])
    })

    it('should log at most 50 events of one batch', async () => {
      const key = uniqueKey('ev')
      const unit = `bulk-${key}`
      const events = Array.from({ length: 120 }, (_, i) => ({ id: `bulk-${key}-${i}`, unit, name: 'noise' }))
      expect((await call('/v1/events', { method: 'POST', json: events, bindings })).status).toBe(202)
      expect((await listed()).filter((e) => e.device_id === unit)).toHaveLength(50)
    })
  })
})
