import { describe, expect, it } from 'vitest'
import { call } from './helpers'

describe('request bodies in seed 001 shapes', () => {
  it('should answer seed 001 routes with the same 413 and 415 as the native API, in seed 001 error body', async () => {
    const big = await call('/events', { method: 'POST', body: JSON.stringify({ event: 'click', params: { pad: 'x'.repeat(20_000) } }), headers: { 'content-type': 'application/json' } })
    expect(big.status).toBe(413)
    expect(await big.json()).toEqual({ error: 'the request body is larger than 16384 bytes' })
    const xml = await call('/events', { method: 'POST', body: '<event/>', headers: { 'content-type': 'application/xml' } })
    expect(xml.status).toBe(415)
    expect((await xml.json<{ error: string }>()).error).toMatch(/application\/json/)
  })

  it('should keep accepting text/plain JSON on public routes, as navigator.sendBeacon sends it', async () => {
    const res = await call('/events', { method: 'POST', body: JSON.stringify({ event: 'click', device_id: 'd-1' }), headers: { 'content-type': 'text/plain;charset=UTF-8' } })
    expect(res.status).toBe(200)
  })
})
