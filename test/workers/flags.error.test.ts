import { describe, expect, it } from 'vitest'
import { CONFIG_KV_KEY } from '../../src/config/config-doc'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import worker from '../../src/index'
import { transition } from '../../src/core/lifecycle'
import { draftExperiment } from '../shared/experiments'
import { admin, call, createExperiment, testEnv, uniqueKey } from './helpers'

async function expectError(res: Response, status: number, code: string, message: RegExp): Promise<void> {
  const body = await res.json<any>()
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code })
  expect(body.error.message).toMatch(message)
}
const put = (key: string, body: unknown, headers: Record<string, string> = {}) => admin(`/v1/flags/${key}`, { method: 'PUT', json: body, headers })

describe('/v1/flags refuses every malformed flag with a 4xx that names the field', () => {
  it.each<[string, unknown, RegExp]>([
    ['a default of the wrong type', { type: 'boolean', default: 'yes' }, /default: must be a boolean/],
    ['a missing type', { default: true }, /type: /],
    ['an unknown type', { type: 'date', default: 1 }, /type: type must be one of/],
    ['a missing default', { type: 'number' }, /default: /],
    ['a rule value of the wrong type', { type: 'number', default: 0, rules: [{ id: 'a', serve: { value: '1' } }] }, /rules\[0\]\.serve\.value: must be a number/],
    ['a rollout over 100%', { type: 'boolean', default: false, rules: [{ id: 'a', serve: { rollout: [{ value: true, weight: 70 }, { value: false, weight: 40 }] } }] }, /rules\[0\]\.serve\.rollout: .*at most 100/],
    ['a negative weight', { type: 'boolean', default: false, rules: [{ id: 'a', serve: { rollout: [{ value: true, weight: -5 }] } }] }, /weight must be greater than 0/],
    ['a duplicate rule id', { type: 'boolean', default: false, rules: [{ id: 'a', serve: { value: true } }, { id: 'a', serve: { value: false } }] }, /rules\[1\]\.id: duplicate rule id "a"/],
    ['a rule without serve', { type: 'boolean', default: false, rules: [{ id: 'a' }] }, /rules\[0\]\.serve/],
    ['an unsafe regex', { type: 'boolean', default: false, rules: [{ id: 'a', when: { attributes: [{ attribute: 'x', op: 'regex', value: '(' }] }, serve: { value: true } }] }, /rules\[0\]\.when\.attributes\[0\]\.value/],
    ['an unknown field', { type: 'boolean', default: false, owner: 'me' }, /owner/],
    ['a body that is not an object', [1, 2], /expected object/],
    ['an experiment rule naming no experiment', { type: 'string', default: 'x', rules: [{ id: 'a', serve: { experiment: 'no_such_experiment' } }] }, /rules\[0\]\.serve\.experiment: experiment "no_such_experiment" does not exist/],
  ])('should refuse %s with 400', async (_what, body, message) => {
    await expectError(await put(uniqueKey('flag'), body), 400, 'invalid_request', message)
  })

  it('should refuse an experiment rule whose variants serve another type', async () => {
    const exp = uniqueKey()
    await createExperiment({ key: exp, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1, payload: { value: true } }] })
    await expectError(await put(uniqueKey('flag'), { type: 'boolean', default: false, rules: [{ id: 'e', serve: { experiment: exp } }] }), 400, 'invalid_request', new RegExp(`variants a of "${exp}" serve no boolean`))
  })

  it('should refuse a body key that differs from the path, bad JSON and a bad key', async () => {
    await expectError(await put(uniqueKey('flag'), { key: 'other', type: 'boolean', default: false }), 400, 'invalid_request', /key: the body names "other"/)
    await expectError(await admin(`/v1/flags/${uniqueKey('flag')}`, { method: 'PUT', body: '{nope', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json', /not valid JSON/)
    await expectError(await put('has%20space', { type: 'boolean', default: false }), 400, 'invalid_request', /^key: must be 1-64/)
  })

  it('should refuse a stale If-Match with 412 and an edit that breaks the type with 400', async () => {
    const key = uniqueKey('flag')
    await put(key, { type: 'boolean', default: false })
    await admin(`/v1/flags/${key}`, { method: 'PATCH', json: { description: 'v2' } })
    await expectError(await admin(`/v1/flags/${key}`, { method: 'PATCH', json: { description: 'v3' }, headers: { 'if-match': '"1"' } }), 412, 'version_conflict', /at version 2, not 1/)
    await expectError(await admin(`/v1/flags/${key}/disable`, { method: 'POST', headers: { 'if-match': '"1"' } }), 412, 'version_conflict', /at version 2/)
    await expectError(await admin(`/v1/flags/${key}`, { method: 'PATCH', json: { type: 'string' } }), 400, 'invalid_request', /default: must be a string/)
    await expectError(await admin(`/v1/flags/${key}`, { method: 'PATCH', json: { key: 'renamed' } }), 400, 'invalid_request', /key/)
    await expectError(await put(key, { type: 'boolean', default: true }, { 'if-match': 'soon' }), 400, 'invalid_request', /If-Match/)
  })

  it('should create only with If-Match "0", refusing to replace an existing flag with 409', async () => {
    const key = uniqueKey('flag')
    expect((await put(key, { type: 'boolean', default: false }, { 'if-match': '"0"' })).status).toBe(201)
    await expectError(await put(key, { type: 'boolean', default: true }, { 'if-match': '"0"' }), 409, 'already_exists', /already exists/)
    await expectError(await put(uniqueKey('flag'), { type: 'boolean', default: true }, { 'if-match': '"4"' }), 412, 'version_conflict', /does not exist/)
  })

  it('should answer 404 for flags that do not exist', async () => {
    const key = uniqueKey('flag')
    await expectError(await admin(`/v1/flags/${key}`), 404, 'not_found', /does not exist/)
    await expectError(await admin(`/v1/flags/${key}/disable`, { method: 'POST' }), 404, 'not_found', /does not exist/)
    await expectError(await admin(`/v1/flags/${key}/history`), 404, 'not_found', /no history/)
    await expectError(await call(`/v1/flags?unit=u&flags=${key}`), 404, 'unknown_flag', new RegExp(key))
  })

  it('should refuse malformed evaluation requests with 400', async () => {
    await expectError(await call('/v1/flags'), 400, 'invalid_request', /unit: is required/)
    await expectError(await call('/v1/flags?unit=%20'), 400, 'invalid_request', /unit: must not be empty/)
    await expectError(await call('/v1/flags?unit=u&experiments=a'), 400, 'invalid_request', /experiments/)
    await expectError(await call('/v1/flags?unit=u&track=maybe'), 400, 'invalid_request', /track/)
    await expectError(await call('/v1/flags', { method: 'POST', json: { unit: 'u', flags: 'a,b' } }), 400, 'invalid_request', /flags: .*expected array/)
    await expectError(await call('/v1/flags', { method: 'POST', json: { unit: 'u', attributes: { a: { nested: true } } } }), 400, 'invalid_request', /attributes/)
  })

  it('should refuse flag writes without the admin token and from another site', async () => {
    expect((await call(`/v1/flags/${uniqueKey('flag')}`, { method: 'PUT', json: { type: 'boolean', default: false } })).status).toBe(401)
    expect((await call('/v1/flags/_all')).status).toBe(401)
    expect((await admin(`/v1/flags/${uniqueKey('flag')}`, { method: 'PUT', json: { type: 'boolean', default: false }, headers: { origin: 'https://evil.example' } })).status).toBe(403)
  })
})

describe('config documents and flags', () => {
  const kv = testEnv.CONFIG_SCRATCH
  const ask = async (path: string) => {
    const ctx = createExecutionContext()
    const res = await worker.fetch(new Request(`http://edgesplit.test${path}`), { ...testEnv, CONFIG: kv } as Env, ctx)
    await waitOnExecutionContext(ctx)
    return res
  }

  it('should load a document written before flags existed unchanged, and leave out a corrupt flag', async () => {
    const exp = { ...transition(draftExperiment({ key: 'old_doc' }), { to: 'running' }, new Date('2026-11-01T00:00:00Z')) }
    await kv.put(CONFIG_KV_KEY, JSON.stringify({ experiments: { old_doc: exp }, revision: 1 }))
    expect(await (await ask('/v1/flags?unit=u')).json()).toEqual({ unit: 'u', flags: {} })
    expect((await (await ask('/v1/assign?unit=u&experiments=old_doc&track=false')).json<any>()).assignments.old_doc.reason).toBe('hash')
    const good = { key: 'good', type: 'boolean', enabled: true, default: true, rules: [], version: 1, createdAt: 'x', updatedAt: 'x' }
    await kv.put(CONFIG_KV_KEY, JSON.stringify({ experiments: { old_doc: exp }, flags: { good, bad: { ...good, key: 'bad', default: 'yes' } }, revision: 2 }))
    // A fresh wrapper of the binding is a cold isolate cache.
    const fresh = new Proxy(kv, { get: (t, p) => (typeof Reflect.get(t, p) === 'function' ? Reflect.get(t, p).bind(t) : Reflect.get(t, p)) })
    const ctx = createExecutionContext()
    const res = await worker.fetch(new Request('http://edgesplit.test/v1/flags?unit=u'), { ...testEnv, CONFIG: fresh } as Env, ctx)
    await waitOnExecutionContext(ctx)
    expect(await res.json()).toEqual({ unit: 'u', flags: { good: { type: 'boolean', value: true, reason: 'default' } } })
    await kv.delete(CONFIG_KV_KEY)
  })
})
