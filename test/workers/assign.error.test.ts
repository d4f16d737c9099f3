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
    await expectError(await call('/v1/assign', { method: 'POST', body: 'unit=u', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'unsupported_media_type', /application\/json/)
    await expectError(await call('/v1/assign', { method: 'POST', json: { unit: 'u', pad: 'x'.repeat(1_100_000) } }), 400, 'payload_too_large', /larger than/)
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
