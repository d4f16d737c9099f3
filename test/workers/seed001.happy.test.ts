import { describe, expect, it } from 'vitest'
import { ADMIN, admin, call, createExperiment, uniqueKey } from './helpers'

const moonMars = (key: string) => ({
  key,
  title: 'Moon/Mars',
  variants: [
    { key: 'Moon', weight: 50 },
    { key: 'Mars', weight: 50 },
  ],
  fallback: 'Moon',
  metrics: [{ key: 'button_click', type: 'binomial', event: 'button_click' }],
})

const update = (body: unknown) => call('/api/experiments/update', { method: 'POST', json: body, headers: ADMIN })
const stored = async (key: string) => (await admin(`/v1/experiments/${key}`)).json<any>()

describe('seed 001 API', () => {
  it('should list experiments in the seed shape, with our lifecycle mapped to its states', async () => {
    const [running, draft] = [uniqueKey('seed'), uniqueKey('seed')]
    await createExperiment(moonMars(running))
    await createExperiment({ ...moonMars(draft), title: 'Draft' }, false)
    const body = await (await call('/api/experiments')).json<any>()
    expect(body[running]).toEqual({
      title: 'Moon/Mars',
      groups: { Moon: 50, Mars: 50 },
      fallback: 'Moon',
      state: 'active',
      rollout_group: null,
      start: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      end: null,
    })
    expect(body[draft]).toMatchObject({ title: 'Draft', state: 'inactive', start: null, end: null })
  })

  it('should give each device its groups as /v1/assign does, log the exposure and the exp_groups event', async () => {
    const key = uniqueKey('seed')
    await createExperiment(moonMars(key))
    const device = `device-${key}`
    const groups = await (await call(`/api/expgroups?device_id=${device}`)).json<any>()
    const assigned = (await (await call(`/v1/assign?unit=${device}&experiments=${key}&track=false`)).json<any>()).assignments[key]
    expect(groups[key]).toEqual({ state: 'active', fallback: 'Moon', group: assigned.variant })
    const anonymous = await (await call('/api/expgroups')).json<any>()
    expect(anonymous[key]).toEqual({ state: 'active', fallback: 'Moon', group: '' })
    const counts = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters
    expect(counts.epochs['1'].variants[assigned.variant].exposures).toBe(1)
    const events = await (await admin('/events')).json<any[]>()
    const logged = events.filter((e) => e.device_id === device)
    expect(logged).toEqual([{ ts: expect.any(String), device_id: device, source: 'backend', event: 'exp_groups', exp_group: expect.objectContaining({ [key]: assigned.variant }), params: groups }])
  })

  it('should keep raw events and count browser ones for the variant the server assigned', async () => {
    const key = uniqueKey('seed')
    await createExperiment(moonMars(key))
    const device = `clicker-${key}`
    const group = (await (await call(`/api/expgroups?device_id=${device}`)).json<any>())[key].group
    const claimed = group === 'Moon' ? 'Mars' : 'Moon'
    const post = (body: unknown) => call('/events', { method: 'POST', json: body })
    const ts = new Date().toISOString()
    expect(await (await post({ ts, device_id: device, source: 'browser', event: 'button_click', exp_group: claimed, params: { btn_type: claimed } })).json()).toEqual({ status: 'ok' })
    expect((await post({ ts, device_id: device, source: 'browser', event: 'button_click', exp_group: claimed })).status).toBe(200) // a retry
    await post({ ts: new Date().toISOString().replace('Z', ''), deviceId: device, source: 'backend', event: 'button_click' }) // not a browser event
    const metrics = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters.epochs['1'].variants
    expect(metrics[group].metrics.button_click.converters).toBe(1)
    expect(metrics[claimed]?.metrics?.button_click?.converters ?? 0).toBe(0)
    const raw = (await (await admin('/events')).json<any[]>()).filter((e) => e.device_id === device && e.event === 'button_click')
    expect(raw).toHaveLength(3)
    // The log shows the group the server assigned, never the one the page claimed.
    expect(raw[0]).toEqual({ ts, device_id: device, source: 'browser', event: 'button_click', exp_group: expect.objectContaining({ [key]: group }), params: { btn_type: claimed } })
  })

  it('should take the device id from the id cookie when a seed page sends none', async () => {
    const key = uniqueKey('seed')
    await createExperiment(moonMars(key))
    const device = `cookie-device-${key}`
    const group = (await (await call(`/api/expgroups?device_id=${device}`)).json<any>())[key].group
    await call('/events', { method: 'POST', json: { ts: new Date().toISOString(), source: 'browser', event: 'button_click' }, headers: { cookie: `edgesplit_uid=${device}` } })
    const variants = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters.epochs['1'].variants
    expect(variants[group].metrics.button_click.converters).toBe(1)
  })

  it('should walk the seed transition table through the lifecycle', async () => {
    const key = uniqueKey('seed')
    await createExperiment(moonMars(key), false)
    const step = async (body: Record<string, unknown>) => {
      const res = await update({ name: key, ...body })
      expect(res.status).toBe(200)
      const answer = await res.json<any>()
      expect(answer.success).toBe(true)
      return answer.experiment
    }
    expect(await step({ state: 'inactive', groups: { Moon: 50, Mars: 50 } })).toMatchObject({ state: 'inactive', start: null })
    expect(await step({ state: 'active', groups: { Moon: 50, Mars: 50 } })).toMatchObject({ state: 'active', start: expect.any(String), end: null })
    expect(await stored(key)).toMatchObject({ state: 'running', epoch: 1, allocationVersion: 1 })
    // Weights of a running experiment go through the edit path: a new allocation version.
    expect(await step({ groups: { Moon: '75', Mars: 25 } })).toMatchObject({ state: 'active', groups: { Moon: 75, Mars: 25 } })
    expect(await stored(key)).toMatchObject({ state: 'running', epoch: 1, allocationVersion: 2 })
    expect(await step({ state: 'inactive', groups: { Moon: 75, Mars: 25 } })).toMatchObject({ state: 'inactive' })
    expect((await stored(key)).state).toBe('paused')
    expect(await step({ state: 'active', groups: { Moon: 75, Mars: 25 } })).toMatchObject({ state: 'active' })
    expect(await stored(key)).toMatchObject({ state: 'running', epoch: 2 })
    expect(await step({ state: 'rollout', rollout_group: 'Mars' })).toMatchObject({ state: 'rollout', rollout_group: 'Mars', end: expect.any(String) })
    expect(await step({ state: 'rollout', rollout_group: 'Moon' })).toMatchObject({ state: 'rollout', rollout_group: 'Moon' })
    const restarted = await step({ state: 'active', groups: { Moon: 50, Mars: 50 } })
    expect(restarted).toMatchObject({ state: 'active', rollout_group: null, end: null, groups: { Moon: 50, Mars: 50 } })
    expect(await stored(key)).toMatchObject({ state: 'running', epoch: 3 })
    const groups = (await (await call(`/api/expgroups?device_id=after-${key}`)).json<any>())[key]
    expect(groups.state).toBe('active')
  })

  it('should serve the dashboard\'s experiments list as the experiments page', async () => {
    const res = await call('/experiments')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    const page = await res.text()
    expect(page).toMatch(/data-page="list"/)
    expect(page).toContain('<title>Experiments')
  })
})
