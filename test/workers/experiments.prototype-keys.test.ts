// "constructor", "toString" and "valueOf" are valid experiment keys, and names of Object.prototype's
// members: a lookup in the stored document must never find those.
import { describe, expect, it } from 'vitest'
import { admin } from './helpers'

describe('experiment keys that name Object.prototype members', () => {
  it.each(['toString', 'valueOf', 'hasOwnProperty'])('should answer 404, not 500, for an experiment "%s" that does not exist', async (key) => {
    for (const [method, path] of [
      ['GET', `/v1/experiments/${key}`],
      ['GET', `/v1/experiments/${key}/counts`],
      ['GET', `/v1/experiments/${key}/results`],
      ['PATCH', `/v1/experiments/${key}`],
      ['POST', `/v1/experiments/${key}/transition`],
      ['DELETE', `/v1/experiments/${key}`],
    ] as const) {
      const json = method === 'PATCH' ? { title: 'T' } : method === 'POST' ? { to: 'running' } : undefined
      const res = await admin(path, { method, json })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect((await res.json<any>()).error.code).toBe('not_found')
    }
  })

  it('should create an experiment keyed "constructor" instead of calling it a duplicate', async () => {
    const variants = [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ]
    const created = await admin('/v1/experiments', { method: 'POST', json: { key: 'constructor', title: 'T', variants } })
    expect(created.status).toBe(201)
    expect((await (await admin('/v1/experiments/constructor')).json<any>()).title).toBe('T')
    expect((await admin('/v1/experiments/constructor', { method: 'DELETE' })).status).toBe(204)
  })
})
