import { describe, expect, it } from 'vitest'
import { bucketRanges, chooseRange } from '../../src/core/bucket'
import { hashToUnitInterval } from '../../src/core/hash'
import { admin, call, createExperiment, uniqueKey } from './helpers'

const twoWay = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
]

describe('GET /v1/assign', () => {
  it('should assign by the hashing spec, saying why', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 2 }, { key: 'c', weight: 1 }] })
    for (const unit of ['user-456', 'user-1', 'café', '日本語']) {
      const res = await call(`/v1/assign?unit=${encodeURIComponent(unit)}&experiments=${key}`)
      expect(res.status).toBe(200)
      const body = await res.json<any>()
      const expected = ['a', 'b', 'c'][chooseRange(await hashToUnitInterval(unit, key), bucketRanges([1, 2, 1], 1))]
      expect(body).toEqual({ unit, assignments: { [key]: { experiment: key, variant: expected, reason: 'hash', enrolled: true, epoch: 1, allocationVersion: 1 } } })
    }
  })

  it('should answer several experiments in one call and skip drafts unless named', async () => {
    const [one, two, draft] = [uniqueKey(), uniqueKey(), uniqueKey()]
    await createExperiment({ key: one, title: 'one', variants: twoWay })
    await createExperiment({ key: two, title: 'two', variants: twoWay })
    await createExperiment({ key: draft, title: 'draft', variants: twoWay, fallback: 'b' }, false)
    const all = await (await call('/v1/assign?unit=u1')).json<any>()
    expect(Object.keys(all.assignments)).toEqual(expect.arrayContaining([one, two]))
    expect(all.assignments[draft]).toBeUndefined()
    const named = await (await call(`/v1/assign?unit=u1&experiments=${one},${draft}`)).json<any>()
    expect(Object.keys(named.assignments).sort()).toEqual([one, draft].sort())
    expect(named.assignments[draft]).toMatchObject({ variant: 'b', reason: 'fallback', enrolled: false })
  })

  it('should apply attributes from the query and QA overrides where allowed', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, qaOverrides: true, targeting: { attributes: [{ attribute: 'plan', op: 'eq', value: 'pro' }] } })
    const free = await (await call(`/v1/assign?unit=u&experiments=${key}&attr.plan=free`)).json<any>()
    expect(free.assignments[key]).toMatchObject({ reason: 'targeting', variant: 'a' })
    const pro = await (await call(`/v1/assign?unit=u&experiments=${key}&attr.plan=pro`)).json<any>()
    expect(pro.assignments[key].reason).toBe('hash')
    const forced = await (await call(`/v1/assign?unit=u&experiments=${key}&force=${key}:b`)).json<any>()
    expect(forced.assignments[key]).toMatchObject({ variant: 'b', reason: 'forced', enrolled: false })
  })

  it('should use the request country unless the caller names one', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, targeting: { countries: ['DE'] } })
    const de = await (await call(`/v1/assign?unit=u&experiments=${key}&country=de`)).json<any>()
    expect(de.assignments[key].reason).toBe('hash')
    const none = await (await call(`/v1/assign?unit=u&experiments=${key}`)).json<any>()
    expect(none.assignments[key].reason).toBe('targeting')
  })
})

describe('POST /v1/assign', () => {
  it('should take typed attributes, a user agent and several experiments', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, targeting: { devices: ['mobile'], attributes: [{ attribute: 'age', op: 'gte', value: 18 }] } })
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148'
    const ok = await call('/v1/assign', { method: 'POST', json: { unit: 'u-9', experiments: [key], attributes: { age: 30 }, userAgent: iphone } })
    expect(ok.status).toBe(200)
    expect((await ok.json<any>()).assignments[key].reason).toBe('hash')
    const young = await (await call('/v1/assign', { method: 'POST', json: { unit: 'u-9', experiments: [key], attributes: { age: 12 }, userAgent: iphone } })).json<any>()
    expect(young.assignments[key].reason).toBe('targeting')
    const bot = await (await call('/v1/assign', { method: 'POST', json: { unit: 'u-9', experiments: [key], userAgent: 'Googlebot/2.1' } })).json<any>()
    expect(bot.assignments[key]).toMatchObject({ reason: 'bot', enrolled: false })
  })

  it('should return each variant\'s payload for model routers', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'models', variants: [{ key: 'control', weight: 1, payload: { model_id: 'model-v1' } }, { key: 'treatment', weight: 1, payload: { model_id: 'model-v2' } }] })
    const body = await (await call('/v1/assign', { method: 'POST', json: { unit: 'user-456', experiments: [key] } })).json<any>()
    const a = body.assignments[key]
    expect(a.payload).toEqual({ model_id: a.variant === 'control' ? 'model-v1' : 'model-v2' })
  })
})

describe('weights and coverage changes through the API', () => {
  it('should keep enrolled units when coverage is raised', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'ramp', variants: twoWay, coverage: 0.2 })
    const units = Array.from({ length: 150 }, (_, i) => `ramp-${i}`)
    const assignAll = async () => {
      const out = []
      for (const u of units) out.push((await (await call(`/v1/assign?unit=${u}&experiments=${key}`)).json<any>()).assignments[key])
      return out
    }
    const before = await assignAll()
    const patched = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { coverage: 0.8 } })
    expect(patched.status).toBe(200)
    expect((await patched.json<any>()).allocationVersion).toBe(1)
    const after = await assignAll()
    before.forEach((b, i) => {
      if (b.enrolled) expect(after[i].variant).toBe(b.variant)
    })
    expect(after.filter((a) => a.enrolled).length).toBeGreaterThan(before.filter((b) => b.enrolled).length)
  }, 30_000)
})
