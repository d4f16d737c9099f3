import { describe, expect, it } from 'vitest'
import { ADMIN, admin, call, createExperiment, uniqueKey } from './helpers'

const twoGroups = (key: string) => ({ key, title: 'T', variants: [{ key: 'Moon', weight: 50 }, { key: 'Mars', weight: 50 }] })
const update = (body: unknown, headers: Record<string, string> = ADMIN) => call('/api/experiments/update', { method: 'POST', json: body, headers })

async function refused(res: Response, status: number, error: string | RegExp): Promise<void> {
  expect(res.status).toBe(status)
  const body = await res.json<any>()
  if (typeof error === 'string') expect(body).toEqual({ error })
  else expect(body.error).toMatch(error)
}

describe('seed 001 update refuses what the seed refuses, in its words', () => {
  it('should say when the experiment does not exist', async () => {
    await refused(await update({ name: 'no_such_experiment', state: 'active' }), 404, 'Experiment not found')
    await refused(await update({ state: 'active' }), 404, 'Experiment not found')
  })

  it('should refuse transitions outside the seed table', async () => {
    const key = uniqueKey('seed')
    await createExperiment(twoGroups(key), false)
    await refused(await update({ name: key, state: 'rollout', rollout_group: 'Mars' }), 400, "Can't change state from inactive to rollout")
    await refused(await update({ name: key, state: 'running' }), 400, /state/)
    await call(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'stopped' }, headers: ADMIN })
    await refused(await update({ name: key, state: 'active' }), 400, /^Can't change state from inactive to active: .* is stopped/)
  })

  it('should need a valid rollout group', async () => {
    const key = uniqueKey('seed')
    await createExperiment(twoGroups(key))
    await refused(await update({ name: key, state: 'rollout' }), 400, 'Invalid rollout group')
    await refused(await update({ name: key, state: 'rollout', rollout_group: 'Venus' }), 400, 'Invalid rollout group')
  })

  it('should check every weight before changing anything', async () => {
    const key = uniqueKey('seed')
    await createExperiment(twoGroups(key))
    await refused(await update({ name: key, state: 'inactive', groups: { Moon: 'lots', Mars: 50 } }), 400, "Invalid weight for group 'Moon': must be an integer")
    await refused(await update({ name: key, groups: { Moon: 50, Mars: 12.5 } }), 400, "Invalid weight for group 'Mars': must be an integer")
    await refused(await update({ name: key, groups: { Moon: 0, Mars: 50 } }), 400, "Invalid weight for group 'Moon': must be > 0")
    await refused(await update({ name: key, groups: { Moon: 50, Mars: '-5' } }), 400, "Invalid weight for group 'Mars': must be > 0")
    await refused(await update({ name: key, groups: { Moon: 50, Venus: 50 } }), 400, `Can't change ${key} group weights`)
    const e = await (await admin(`/v1/experiments/${key}`)).json<any>()
    expect(e).toMatchObject({ state: 'running', version: 2, allocationVersion: 1 })
  })

  it('should need the admin token, as the native API does', async () => {
    const key = uniqueKey('seed')
    await createExperiment(twoGroups(key))
    const res = await update({ name: key, state: 'inactive' }, {})
    expect(res.status).toBe(401)
    expect((await admin(`/v1/experiments/${key}`).then((r) => r.json<any>())).state).toBe('running')
    expect((await call('/events')).status).toBe(401)
  })

  it('should refuse bodies that are not seed JSON', async () => {
    await refused(await call('/api/experiments/update', { method: 'POST', body: 'nope', headers: { ...ADMIN, 'content-type': 'application/json' } }), 400, /not valid JSON/)
    await refused(await call('/events', { method: 'POST', json: { device_id: 'd' } }), 400, /event/)
    await refused(await call('/events', { method: 'POST', json: { event: 'x'.repeat(65), device_id: 'd' } }), 400, /event/)
    await refused(await call(`/api/expgroups?device_id=${'d'.repeat(300)}`), 400, /device_id/)
  })
})
