import { describe, expect, it } from 'vitest'
import { chooseRange } from '../../src/core/bucket'
import { rolloutRanges, rolloutSalt } from '../../src/core/flag-evaluate'
import { hashToUnitInterval } from '../../src/core/hash'
import { admin, call, createExperiment, uniqueKey } from './helpers'

const put = (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => admin(`/v1/flags/${key}`, { method: 'PUT', json: body, headers })
const evaluate = async (query: string) => {
  const res = await call(`/v1/flags?${query}`)
  expect(res.status).toBe(200)
  return res.json<any>()
}

describe('/v1/flags admin: flags next to experiments, through the ConfigWriter', () => {
  it('should create with PUT, read, edit with If-Match and list a flag', async () => {
    const key = uniqueKey('flag')
    const created = await put(key, { type: 'boolean', default: false, description: 'new checkout', tags: ['checkout'] })
    expect(created.status).toBe(201)
    expect(created.headers.get('etag')).toBe('"1"')
    expect(await created.json()).toMatchObject({ key, type: 'boolean', enabled: true, default: false, rules: [], version: 1 })
    const edited = await admin(`/v1/flags/${key}`, { method: 'PATCH', json: { rules: [{ id: 'all', serve: { value: true } }] }, headers: { 'if-match': '"1"' } })
    expect(edited.status).toBe(200)
    expect(await edited.json()).toMatchObject({ version: 2, rules: [{ id: 'all', serve: { value: true } }], description: 'new checkout' })
    const replaced = await put(key, { type: 'string', default: 'off' }, { 'if-match': '"2"' })
    expect(await replaced.json()).toMatchObject({ version: 3, type: 'string', default: 'off', rules: [] })
    expect((await (await admin(`/v1/flags/${key}`)).json<any>()).description).toBeUndefined()
    const list = await (await admin('/v1/flags/_all')).json<any>()
    expect(list.flags.find((f: any) => f.key === key)).toMatchObject({ version: 3 })
    expect((await admin(`/v1/flags/${key}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin(`/v1/flags/${key}`)).status).toBe(404)
  })

  it('should turn a flag off in one action that evaluation sees at once, and record every change in its history', async () => {
    const key = uniqueKey('flag')
    await put(key, { type: 'boolean', default: false, rules: [{ id: 'all', serve: { value: true } }] })
    expect((await evaluate(`unit=u1&flags=${key}`)).flags[key]).toEqual({ type: 'boolean', value: true, reason: 'rule:all', rule: 'all' })
    const off = await admin(`/v1/flags/${key}/disable`, { method: 'POST' })
    expect(off.status).toBe(200)
    expect(await off.json()).toMatchObject({ enabled: false, version: 2 })
    expect((await evaluate(`unit=u1&flags=${key}`)).flags[key]).toEqual({ type: 'boolean', value: false, reason: 'flag_disabled' })
    // Disabling a disabled flag changes nothing and records nothing.
    expect(await (await admin(`/v1/flags/${key}/disable`, { method: 'POST' })).json()).toMatchObject({ version: 2 })
    await admin(`/v1/flags/${key}/enable`, { method: 'POST' })
    const history = await (await admin(`/v1/flags/${key}/history`)).json<any>()
    expect(history.changes.map((c: any) => [c.version, c.action, c.flag.enabled])).toEqual([
      [3, 'enable', true],
      [2, 'disable', false],
      [1, 'create', true],
    ])
    for (const c of history.changes) expect(Date.parse(c.at)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('should serve the default with reason error when an experiment rule lost its experiment, and still take the kill switch', async () => {
    const exp = uniqueKey()
    await createExperiment({ key: exp, title: 'T', variants: [{ key: 'a', weight: 1, payload: { value: true } }, { key: 'b', weight: 1, payload: { value: false } }] }, false)
    const key = uniqueKey('flag')
    expect((await put(key, { type: 'boolean', default: false, rules: [{ id: 'e', serve: { experiment: exp } }] })).status).toBe(201)
    expect((await admin(`/v1/experiments/${exp}`, { method: 'DELETE' })).status).toBe(204)
    expect((await evaluate(`unit=u&flags=${key}`)).flags[key]).toEqual({ type: 'boolean', value: false, reason: 'error', rule: 'e', experiment: exp })
    const off = await admin(`/v1/flags/${key}/disable`, { method: 'POST' })
    expect(off.status).toBe(200)
    expect((await evaluate(`unit=u&flags=${key}`)).flags[key]).toEqual({ type: 'boolean', value: false, reason: 'flag_disabled' })
  })

  it('should report the config revision of a flag write like an experiment write', async () => {
    const res = await put(uniqueKey('flag'), { type: 'number', default: 1 })
    expect(Number(res.headers.get('x-edgesplit-config-revision'))).toBeGreaterThan(0)
  })
})

describe('GET/POST /v1/flags: evaluation', () => {
  it('should evaluate rules in order with targeting from the query, and say why per flag', async () => {
    const key = uniqueKey('flag')
    await put(key, {
      type: 'string',
      default: 'd',
      rules: [
        { id: 'pro', when: { attributes: [{ attribute: 'plan', op: 'eq', value: 'pro' }] }, serve: { value: 'pro' } },
        { id: 'de', when: { countries: ['DE'] }, serve: { value: 'de' } },
      ],
    })
    expect((await evaluate(`unit=u&flags=${key}&attr.plan=pro&country=DE`)).flags[key]).toMatchObject({ value: 'pro', reason: 'rule:pro' })
    expect((await evaluate(`unit=u&flags=${key}&country=de`)).flags[key]).toMatchObject({ value: 'de', reason: 'rule:de' })
    expect((await evaluate(`unit=u&flags=${key}`)).flags[key]).toEqual({ type: 'string', value: 'd', reason: 'targeting' })
  })

  it('should serve a rollout by the flag hash and keep every unit in when the rule is ramped up', async () => {
    const key = uniqueKey('flag')
    const rule = (weight: number) => ({ rules: [{ id: 'ramp', serve: { rollout: [{ value: true, weight }] } }] })
    await put(key, { type: 'boolean', default: false, ...rule(20) })
    const units = Array.from({ length: 40 }, (_, i) => `r-${i}`)
    const before = new Map<string, boolean>()
    for (const unit of units) {
      const got = (await evaluate(`unit=${unit}&flags=${key}`)).flags[key]
      const inside = chooseRange(await hashToUnitInterval(unit, rolloutSalt(key, 'ramp')), rolloutRanges([20])) === 0
      expect(got).toMatchObject(inside ? { value: true, reason: 'rollout', rule: 'ramp' } : { value: false, reason: 'default' })
      before.set(unit, got.value)
    }
    await admin(`/v1/flags/${key}`, { method: 'PATCH', json: rule(60) })
    for (const unit of units) {
      if (before.get(unit)) expect((await evaluate(`unit=${unit}&flags=${key}`)).flags[key].value).toBe(true)
    }
  })

  it('should serve an experiment rule from the variant and count the exposure exactly like /v1/assign', async () => {
    const exp = uniqueKey()
    await createExperiment({ key: exp, title: 'T', variants: [{ key: 'control', weight: 1, payload: { value: 'blue' } }, { key: 'treatment', weight: 1, payload: { value: 'green' } }] })
    const key = uniqueKey('flag')
    expect((await put(key, { type: 'string', default: 'grey', rules: [{ id: 'test', serve: { experiment: exp } }] })).status).toBe(201)
    const units = Array.from({ length: 12 }, (_, i) => `x-${i}`)
    const seen: Record<string, number> = {}
    for (const unit of units) {
      const got = (await evaluate(`unit=${unit}&flags=${key}`)).flags[key]
      const assigned = (await (await call(`/v1/assign?unit=${unit}&experiments=${exp}&track=false`)).json<any>()).assignments[exp]
      expect(got).toEqual({ type: 'string', value: assigned.variant === 'control' ? 'blue' : 'green', reason: 'experiment', rule: 'test', experiment: exp, variant: assigned.variant })
      seen[assigned.variant] = (seen[assigned.variant] ?? 0) + 1
    }
    for (const unit of units.slice(0, 4)) await evaluate(`unit=${unit}&flags=${key}`) // repeat visits are not counted twice
    await evaluate(`unit=not-counted&flags=${key}&track=false`)
    const counts = (await (await admin(`/v1/experiments/${exp}/counts`)).json<any>()).counters.epochs['1'].variants
    for (const v of ['control', 'treatment']) expect(counts[v]?.exposures ?? 0).toBe(seen[v] ?? 0)
  })

  it('should answer every flag when none is named, and take typed attributes by POST', async () => {
    const key = uniqueKey('flag')
    await put(key, { type: 'json', default: { theme: 'light' }, rules: [{ id: 'big', when: { attributes: [{ attribute: 'seats', op: 'gte', value: 10 }] }, serve: { value: { theme: 'dark' } } }] })
    const all = await evaluate('unit=u')
    expect(all.flags[key]).toMatchObject({ value: { theme: 'light' }, reason: 'targeting' })
    const res = await call('/v1/flags', { method: 'POST', json: { unit: 'u', flags: [key], attributes: { seats: 12 } } })
    expect(await res.json()).toEqual({ unit: 'u', flags: { [key]: { type: 'json', value: { theme: 'dark' }, reason: 'rule:big', rule: 'big' } } })
  })
})
