import { describe, expect, it } from 'vitest'
import { call, createExperiment, uniqueKey } from './helpers'

async function expectError(res: Response, status: number, code: string, message: RegExp): Promise<void> {
  expect(res.status).toBe(status)
  const body = await res.json<any>()
  expect(body.error.code).toBe(code)
  expect(body.error.message).toMatch(message)
}

describe('/v1/assign refuses bad input with a clear 4xx', () => {
  it('should require a unit', async () => {
    await expectError(await call('/v1/assign'), 400, 'invalid_request', /^unit: is required/)
    await expectError(await call('/v1/assign?unit='), 400, 'invalid_request', /unit: must not be empty/)
    await expectError(await call('/v1/assign?unit=%20%20'), 400, 'invalid_request', /unit: must not be empty/)
    await expectError(await call(`/v1/assign?unit=${'x'.repeat(300)}`), 400, 'invalid_request', /unit: must be at most 256/)
  })

  it('should name unknown experiments with 404', async () => {
    await expectError(await call('/v1/assign?unit=u&experiments=nope,also_nope'), 404, 'unknown_experiment', /unknown experiments: nope, also_nope/)
  })

  it('should refuse malformed QA overrides and track flags', async () => {
    await expectError(await call('/v1/assign?unit=u&force=novariant'), 400, 'invalid_request', /force: expected "experiment:variant"/)
    await expectError(await call('/v1/assign?unit=u&track=maybe'), 400, 'invalid_request', /track: expected true or false/)
    await expectError(await call('/v1/assign?unit=u&country=USA'), 400, 'invalid_request', /country is a two-letter/)
  })

  it('should refuse bad JSON, wrong types and unknown fields in POST', async () => {
    await expectError(await call('/v1/assign', { method: 'POST', body: '{"unit": ', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json', /not valid JSON/)
    await expectError(await call('/v1/assign', { method: 'POST', body: '', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json', /empty/)
    await expectError(await call('/v1/assign', { method: 'POST', json: { unit: 123 } }), 400, 'invalid_request', /unit: .*expected string/)
    await expectError(await call('/v1/assign', { method: 'POST', json: ['unit'] }), 400, 'invalid_request', /expected object/)
    await expectError(await call('/v1/assign', { method: 'POST', json: { unit: 'u', experiments: 'a' } }), 400, 'invalid_request', /experiments: .*expected array/)
    await expectError(await call('/v1/assign', { method: 'POST', json: { unit: 'u', atributes: {} } }), 400, 'invalid_request', /atributes/)
    await expectError(await call('/v1/assign', { method: 'POST', json: { unit: 'u', attributes: { a: { nested: 1 } } } }), 400, 'invalid_request', /attributes\.a/)
  })

  it('should answer 415 for a body that is not JSON and 413 for one over the limit', async () => {
    await expectError(await call('/v1/assign', { method: 'POST', body: 'unit=u', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type', /application\/json/)
    await expectError(await call('/v1/assign', { method: 'POST', body: '<unit>u</unit>', headers: { 'content-type': 'application/xml' } }), 415, 'unsupported_media_type', /application\/json/)
    await expectError(await call('/v1/assign', { method: 'POST', json: { unit: 'u', pad: 'x'.repeat(1_100_000) } }), 413, 'payload_too_large', /larger than 1000000 bytes/)
  })

  it('should refuse a JSON body that is not valid UTF-8 instead of replacing the bad bytes', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"unit":"a'), 0xff, 0xfe, ...new TextEncoder().encode('"}')])
    await expectError(await call('/v1/assign', { method: 'POST', body: bytes, headers: { 'content-type': 'application/json' } }), 400, 'invalid_json', /not valid UTF-8/)
  })

  it('should stop reading a chunked body without content-length at the limit and answer 413', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20)
    let pulled = 0
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 2 * 1024 * 1024) return controller.close()
        pulled += chunk.byteLength
        controller.enqueue(chunk)
      },
      cancel() {
        cancelled = true
      },
    })
    const res = await call('/v1/assign', { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    await expectError(res, 413, 'payload_too_large', /larger than 1000000 bytes/)
    expect(pulled).toBeLessThanOrEqual(1_000_000 + 2 * chunk.byteLength)
    expect(cancelled).toBe(true)
  })

  it('should cap every free-text field of an assign request with a message naming it', async () => {
    const get = (query: string) => call(`/v1/assign?unit=u&${query}`)
    await expectError(await get(`path=/${'p'.repeat(2048)}`), 400, 'invalid_request', /path: must be at most 2048 characters/)
    await expectError(await get(`host=${'h'.repeat(254)}`), 400, 'invalid_request', /host: must be at most 253 characters/)
    await expectError(await get(`userAgent=${'u'.repeat(1025)}`), 400, 'invalid_request', /userAgent: must be at most 1024 characters/)
    await expectError(await get(`attr.plan=${'v'.repeat(1025)}`), 400, 'invalid_request', /attributes\.plan: must be at most 1024 characters/)
    await expectError(await get(`attr.${'n'.repeat(65)}=x`), 400, 'invalid_request', /attributes: attribute names must be at most 64 characters/)
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i]))
    await expectError(await call('/v1/assign', { method: 'POST', json: { unit: 'u', attributes: many } }), 400, 'invalid_request', /attributes: at most 50 attributes/)
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, 'x'.repeat(1024)]))
    expect((await call('/v1/assign', { method: 'POST', json: { unit: 'u', attributes: fifty, path: `/${'p'.repeat(2047)}`, host: 'h'.repeat(253) } })).status).toBe(200)
  })

  it('should answer unknown routes in the same envelope', async () => {
    await expectError(await call('/v1/nothing-here'), 404, 'not_found', /no route for GET \/v1\/nothing-here/)
  })

  it('should still assign when the experiment was just created with odd but valid ids', async () => {
    const key = uniqueKey('odd.key-1')
    await createExperiment({ key, title: 'T', variants: [{ key: 'x.1', weight: 1 }, { key: 'y-2', weight: 1 }] })
    const res = await call(`/v1/assign?unit=${encodeURIComponent('👩‍👩‍👧')}&experiments=${key}`)
    expect(res.status).toBe(200)
  })
})
