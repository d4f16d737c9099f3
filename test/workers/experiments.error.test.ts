import { describe, expect, it } from 'vitest'
import { admin, uniqueKey } from './helpers'

const valid = (key: string) => ({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })

async function expectError(res: Response, status: number, code: string, message: RegExp): Promise<void> {
  const body = await res.json<any>()
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code })
  expect(body.error.message).toMatch(message)
}

describe('/v1/experiments refuses what is wrong, naming the field or the rule', () => {
  it('should refuse weights of 0 and other invalid experiments with 400', async () => {
    const key = uniqueKey()
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), variants: [{ key: 'a', weight: 0 }, { key: 'b', weight: 0 }] } }), 400, 'invalid_request', /variants\[0\]\.weight: weight must be greater than 0/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), variants: [{ key: 'a', weight: 1 }] } }), 400, 'invalid_request', /at least 2 variants/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), variants: [{ key: 'a', weight: 1 }, { key: 'a', weight: 1 }] } }), 400, 'invalid_request', /duplicate variant key "a"/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), fallback: 'zzz' } }), 400, 'invalid_request', /fallback: "zzz" is not one of the variants \(a, b\)/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), coverage: 1.5 } }), 400, 'invalid_request', /coverage: coverage must be between 0 and 1/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), weights: [1, 1] } }), 400, 'invalid_request', /weights/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid('has space'), key: 'has space' } }), 400, 'invalid_request', /^key: must be 1-64 characters/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), variants: 'a,b' } }), 400, 'invalid_request', /variants: .*expected array/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), targeting: { attributes: [{ attribute: 'x', op: 'regex', value: '(' }] } } }), 400, 'invalid_request', /targeting\.attributes\[0\]\.value: not a valid regular expression/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), layer: { id: 'l', start: 0.5, end: 0.2 } } }), 400, 'invalid_request', /layer\.end: layer start must be below layer end/)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: { ...valid(key), metrics: [{ key: 'm', type: 'binomial', event: 'e', role: 'guardrail' }] } }), 400, 'invalid_request', /exactly one metric must be primary/)
    await expectError(await admin('/v1/experiments', { method: 'POST', body: '{bad json', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json', /not valid JSON/)
  })

  it('should refuse a duplicate key with 409', async () => {
    const key = uniqueKey()
    expect((await admin('/v1/experiments', { method: 'POST', json: valid(key) })).status).toBe(201)
    await expectError(await admin('/v1/experiments', { method: 'POST', json: valid(key) }), 409, 'already_exists', new RegExp(`"${key}" already exists`))
  })

  it('should refuse a stale If-Match with 412 and a malformed one with 400', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: valid(key) })
    expect((await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: 'v2' }, headers: { 'if-match': '"1"' } })).status).toBe(200)
    await expectError(await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: 'v3' }, headers: { 'if-match': '"1"' } }), 412, 'version_conflict', /at version 2, not 1/)
    await expectError(await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: 'v3', version: 1 } }), 412, 'version_conflict', /at version 2, not 1/)
    await expectError(await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: 'v3' }, headers: { 'if-match': 'banana' } }), 400, 'invalid_request', /If-Match/)
    await expectError(await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: '' } }), 400, 'invalid_request', /^title: must not be empty/)
  })

  it('should let exactly one of two concurrent edits at the same version win', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: valid(key) })
    const [a, b] = await Promise.all(['A', 'B'].map((title) => admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title }, headers: { 'if-match': '"1"' } })))
    expect([a!.status, b!.status].sort()).toEqual([200, 412])
  })

  it('should refuse draft→rollout, leaving stopped, and unknown states', async () => {
    const key = uniqueKey()
    await admin('/v1/experiments', { method: 'POST', json: valid(key) })
    await expectError(await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'rollout', variant: 'a' } }), 409, 'invalid_transition', /from draft to rollout: a draft has no results to roll out/)
    await expectError(await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'live' } }), 400, 'invalid_request', /^to: /)
    await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' } })
    await expectError(await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'rollout' } }), 400, 'invalid_request', /needs the variant/)
    await expectError(await admin(`/v1/experiments/${key}`, { method: 'DELETE' }), 409, 'experiment_active', /stop it before deleting/)
    await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'stopped' } })
    await expectError(await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' } }), 409, 'invalid_transition', /stopped experiment is final/)
    await expectError(await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: 'x' } }), 409, 'experiment_stopped', /can no longer be edited/)
  })

  it('should answer 404 for an unknown experiment on every route', async () => {
    await expectError(await admin('/v1/experiments/nope'), 404, 'not_found', /"nope" does not exist/)
    await expectError(await admin('/v1/experiments/nope', { method: 'PATCH', json: { title: 'x' } }), 404, 'not_found', /does not exist/)
    await expectError(await admin('/v1/experiments/nope/transition', { method: 'POST', json: { to: 'running' } }), 404, 'not_found', /does not exist/)
    await expectError(await admin('/v1/experiments/nope', { method: 'DELETE' }), 404, 'not_found', /does not exist/)
  })
})
