import { describe, expect, it } from 'vitest'
import { admin as adminCall, call as plainCall, createExperiment as create, STORES, uniqueKey } from './helpers'

/** A native experiment seed 000's `/route` and `/log` can address by key, with its metrics. */
const experiment = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  title: 'Model test',
  variants: [
    { key: 'control', weight: 1 },
    { key: 'treatment', weight: 1 },
  ],
  metrics: [
    { key: 'conversion', type: 'binomial', event: 'conversion' },
    { key: 'value', type: 'mean', event: 'conversion', role: 'secondary' },
  ],
  ...extra,
})

describe.each(STORES)('seed 000 /log refuses attribution the server did not make (%s store)', (_store, bindings) => {
  const call: typeof plainCall = (path, init = {}) => plainCall(path, { ...init, bindings })
  const admin: typeof adminCall = (path, init = {}) => adminCall(path, { ...init, bindings })
  const createExperiment = (body: Record<string, unknown>) => create(body, true, bindings)
  const route = async (key: string, user: string, headers?: Record<string, string>) =>
    (await call('/route', { method: 'POST', json: { user_id: user, experiment_id: key }, headers })).json<any>()
  const log = (key: string, user: string, variant: string, converted = true, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    call('/log', { method: 'POST', json: { experiment_id: key, user_id: user, variant_name: variant, converted, ...extra }, headers })
  const counters = async (key: string) => (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters
  const other = (variant: string) => (variant === 'control' ? 'treatment' : 'control')


  it('should answer 409 with the server\'s variant and count nothing when the caller names another variant', async () => {
    const key = uniqueKey('s0')
    await createExperiment(experiment(key))
    const served = (await route(key, 'forger')).variant_name as string
    const before = await counters(key)
    const res = await log(key, 'forger', other(served), true, { value: 10 })
    expect(res.status).toBe(409)
    const body = await res.json<any>()
    expect(body).toMatchObject({ detail: expect.stringContaining(served), variant_name: served, error: { code: 'variant_mismatch' } })
    expect(await counters(key)).toEqual(before)
    // The forged call left no sticky record behind: the server's own variant still logs and counts.
    expect((await log(key, 'forger', served)).status).toBe(200)
    const after = (await counters(key)).epochs['1'].variants
    expect(after[served].exposures).toBe(1)
    expect(after[served].metrics.conversion.converters).toBe(1)
    expect(after[other(served)]?.exposures ?? 0).toBe(0)
  })

  it('should refuse /log with 409 while the experiment is paused or stopped, counting nothing', async () => {
    const key = uniqueKey('s0')
    await createExperiment(experiment(key))
    const served = (await route(key, 'u-paused')).variant_name as string
    expect(served).toMatch(/^(control|treatment)$/)
    const before = await counters(key)
    for (const to of ['paused', 'stopped']) {
      expect((await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to } })).status).toBe(200)
      const res = await log(key, 'u-paused', served)
      expect(res.status, to).toBe(409)
      expect(await res.json<any>()).toMatchObject({ error: { code: 'not_running' }, variant_name: null })
    }
    expect(await counters(key)).toEqual(before)
  })

  it('should refuse /log with 409 for units the server does not enroll (coverage, bots), counting nothing', async () => {
    const key = uniqueKey('s0')
    await createExperiment(experiment(key, { coverage: 0.01 }))
    const users = Array.from({ length: 20 }, (_, i) => `outside-${i}`)
    const routed = await Promise.all(users.map((u) => route(key, u)))
    const outside = users.filter((_, i) => routed[i].variant_name === null)
    expect(outside.length).toBeGreaterThan(0)
    for (const user of outside.slice(0, 3)) {
      const res = await log(key, user, 'control')
      expect(res.status).toBe(409)
      expect(await res.json<any>()).toMatchObject({ error: { code: 'not_enrolled' }, variant_name: null })
    }
    const full = uniqueKey('s0')
    await createExperiment(experiment(full))
    const bot = { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' }
    expect((await route(full, 'crawler', bot)).variant_name).toBeNull()
    expect((await log(full, 'crawler', 'control', true, {}, bot)).status).toBe(409)
    expect((await log(full, 'crawler', 'treatment', true, {}, bot)).status).toBe(409)
    for (const k of [key, full]) expect((await counters(k)).epochs['1']?.variants ?? {}).toEqual({})
  })

  it('should follow the unit\'s sticky record after a reweight and write exposures under the current allocation', async () => {
    const key = uniqueKey('s0')
    await createExperiment(experiment(key))
    const users = Array.from({ length: 12 }, (_, i) => `sticky-${i}`)
    const first = await Promise.all(users.map((u) => route(key, u)))
    const inControl = users.filter((_, i) => first[i].variant_name === 'control')
    expect(inControl.length).toBeGreaterThan(0)
    for (const u of inControl) expect((await log(key, u, 'control', false)).status).toBe(200)
    const patched = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 999 }] } })
    expect(patched.status).toBe(200)
    // Returning units keep their first variant; a forged "treatment" (what the new hash would say) is refused.
    for (const u of inControl) {
      expect((await route(key, u)).variant_name).toBe('control')
      const res = await log(key, u, 'treatment')
      expect(res.status).toBe(409)
      expect((await res.json<any>()).variant_name).toBe('control')
    }
    expect((await log(key, inControl[0]!, 'control')).status).toBe(200)
    // A new unit is hashed into the new weights and its exposure carries allocation version 2.
    const fresh = (await route(key, 'fresh-after-reweight')).variant_name as string
    expect((await log(key, 'fresh-after-reweight', fresh, false)).status).toBe(200)
    const variants = (await counters(key)).epochs['1'].variants
    expect(variants.control.exposures).toBe(inControl.length + (fresh === 'control' ? 1 : 0))
    expect(variants.control.byAllocation['1']).toBe(inControl.length)
    expect(variants.control.metrics.conversion.converters).toBe(1)
    expect(variants[fresh].byAllocation['2']).toBe(1)
    expect(variants.treatment?.metrics?.conversion?.converters ?? 0).toBe(0)
  })

  it('should never let seed 001\'s /api/expgroups write a sticky record the server would not (bots)', async () => {
    const key = uniqueKey('s0')
    await createExperiment(experiment(key))
    const bot = { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' }
    const groups = await (await call('/api/expgroups?device_id=bot-device', { headers: bot })).json<any>()
    expect(groups[key].group).toBe('control')
    expect((await counters(key)).epochs['1']?.variants ?? {}).toEqual({})
  })
})
