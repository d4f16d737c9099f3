import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, env, uniqueKey } from './helpers'

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
    const mine = (await listed()).filter((e) => e.deviceId === `kv-${key}`)
    expect(mine.map((e) => e.event)).toEqual(['click', 'order', 'exp_groups'])
  })

  it('should list events newest last, summarising oversized params', async () => {
    const device = `order-${uniqueKey('ev')}`
    for (let i = 0; i < 5; i++) await post({ device_id: device, source: 'backend', event: `step_${i}`, params: { i } })
    await post({ device_id: device, source: 'backend', event: 'big', params: { blob: 'x'.repeat(4000) }, exp_group: 'y'.repeat(3000) })
    const mine = (await listed()).filter((e) => e.deviceId === device)
    expect(mine.map((e) => e.event)).toEqual(['step_0', 'step_1', 'step_2', 'step_3', 'step_4', 'big'])
    expect(mine[0]).toEqual({ ts: expect.any(String), deviceId: device, source: 'backend', event: 'step_0', exp_group: null, params: { i: 0 } })
    expect(mine[5].params).toMatchObject({ truncated: true })
    expect(mine[5].exp_group).toMatchObject({ truncated: true })
    expect(JSON.stringify(mine[5]).length).toBeLessThan(1024)
  })

  it('should keep only the last 1000 events, oldest dropped first', async () => {
    const device = `ring-${uniqueKey('ev')}`
    // Filled through the log itself in three appends (1,050 requests would take seconds), then read publicly.
    const log = env.EVENT_LOG.get(env.EVENT_LOG.idFromName('global'))
    for (let g = 0; g < 3; g++) {
      await log.append(Array.from({ length: 350 }, (_, i) => ({ ts: new Date().toISOString(), deviceId: device, source: 'backend', event: 'ring', exp_group: null, params: { n: g * 350 + i } })))
    }
    await post({ device_id: device, source: 'backend', event: 'last' })
    const all = await listed()
    expect(all).toHaveLength(1000)
    expect(all.map((e) => e.params.n ?? 'last')).toEqual([...Array.from({ length: 999 }, (_, i) => 51 + i), 'last'])
  })
})
