import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, STORES, uniqueKey } from './helpers'

const twoWay = [
  { key: 'control', weight: 1 },
  { key: 'treatment', weight: 1 },
]
const metrics = [
  { key: 'clicked', type: 'binomial', event: 'click' },
  { key: 'revenue', type: 'mean', event: 'purchase', role: 'secondary', cap: 100 },
]

describe.each(STORES)('events end to end with the %s store', (_store, bindings) => {
  const assignUnit = async (key: string, unit: string, query = '') =>
    (await (await call(`/v1/assign?unit=${encodeURIComponent(unit)}&experiments=${key}${query}`, { bindings })).json<any>()).assignments[key]
  const post = async (events: unknown) => {
    const res = await call('/v1/events', { method: 'POST', json: events, bindings })
    expect(res.status).toBe(202)
    return res.json<any>()
  }
  const counters = async (key: string) => {
    const res = await admin(`/v1/experiments/${key}/counts`, { bindings })
    expect(res.status).toBe(200)
    return (await res.json<any>()).counters
  }

  it('should count exposures once per unit and attribute events to the server-assigned variant', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, metrics }, true, bindings)
    const units = Array.from({ length: 30 }, (_, i) => `ev-${i}`)
    const variants = new Map<string, string>()
    for (const u of units) variants.set(u, (await assignUnit(key, u)).variant)
    for (const u of units.slice(0, 10)) await assignUnit(key, u) // repeat visits: not re-counted
    const clickers = units.filter((_, i) => i % 3 === 0)
    const answer = await post({ events: clickers.flatMap((unit, i) => [{ id: `c-${key}-${i}`, unit, name: 'click' }, { id: `c2-${key}-${i}`, unit, name: 'click' }]) })
    expect(answer).toEqual({ accepted: clickers.length * 2, duplicate: 0, ignored: [] })
    const c = await counters(key)
    for (const v of ['control', 'treatment']) {
      const exposed = units.filter((u) => variants.get(u) === v).length
      const converted = clickers.filter((u) => variants.get(u) === v).length
      expect(c.epochs['1'].variants[v].exposures).toBe(exposed)
      expect(c.epochs['1'].variants[v].metrics.clicked.converters).toBe(converted)
    }
  })

  it('should count a duplicate id once and report it', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, metrics }, true, bindings)
    const v = (await assignUnit(key, 'dup-unit')).variant
    const event = { id: `dup-${key}`, unit: 'dup-unit', name: 'purchase', value: 40 }
    expect(await post([event, event])).toMatchObject({ accepted: 1, duplicate: 1 })
    expect(await post(event)).toMatchObject({ accepted: 0, duplicate: 1 })
    // Without an id an event is never a duplicate: equal events are real repeats.
    const anonymous = { unit: 'dup-unit', name: 'purchase', value: 10, ts: new Date().toISOString() }
    expect(await post(anonymous)).toMatchObject({ accepted: 1 })
    expect(await post(anonymous)).toMatchObject({ accepted: 1, duplicate: 0 })
    const m = (await counters(key)).epochs['1'].variants[v].metrics.revenue
    expect(m).toEqual({ converters: 1, sum: 60, sumSq: 3600 })
  })

  it('should winsorize per-unit totals at the cap', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, metrics }, true, bindings)
    const v = (await assignUnit(key, 'whale')).variant
    await post([60, 70, 80].map((value, i) => ({ id: `w-${key}-${i}`, unit: 'whale', name: 'purchase', value })))
    expect((await counters(key)).epochs['1'].variants[v].metrics.revenue).toEqual({ converters: 1, sum: 100, sumSq: 10000 })
  })

  it('should ignore events of unexposed units, untracked assignments and unmeasured names, saying why', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, metrics }, true, bindings)
    await assignUnit(key, 'quiet', '&track=false')
    const answer = await post([
      { id: `n1-${key}`, unit: 'never-seen', name: 'click', experiments: [key] },
      { id: `n2-${key}`, unit: 'quiet', name: 'click', experiments: [key] },
      { id: `n3-${key}`, unit: 'quiet', name: 'scroll', experiments: [key] },
    ])
    expect(answer.accepted).toBe(0)
    expect(answer.ignored).toEqual([
      { index: 0, id: `n1-${key}`, reason: 'not_exposed', message: expect.stringContaining(`"${key}"`) },
      { index: 1, id: `n2-${key}`, reason: 'not_exposed', message: expect.any(String) },
      { index: 2, id: `n3-${key}`, reason: 'no_experiment', message: expect.stringContaining('"scroll"') },
    ])
    // The ignored event keeps its id unused: once the unit is exposed, the retry counts.
    await assignUnit(key, 'never-seen')
    expect(await post({ id: `n1-${key}`, unit: 'never-seen', name: 'click', experiments: [key] })).toMatchObject({ accepted: 1 })
  })

  it('should keep units sticky through a weight change and count only new units after a restart', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, metrics }, true, bindings)
    const early = Array.from({ length: 40 }, (_, i) => `early-${i}`)
    const before = new Map<string, string>()
    for (const u of early) before.set(u, (await assignUnit(key, u)).variant)
    const patched = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 99 }] }, bindings })
    expect((await patched.json<any>()).allocationVersion).toBe(2)
    for (const u of early) {
      const a = await assignUnit(key, u)
      expect(a).toMatchObject({ variant: before.get(u), reason: 'sticky', enrolled: true })
    }
    await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'paused' }, bindings })
    expect((await assignUnit(key, early[0]!)).reason).toBe('fallback')
    const resumed = await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'running' }, bindings })
    expect((await resumed.json<any>()).epoch).toBe(2)
    const kept = await assignUnit(key, early[0]!)
    expect(kept).toMatchObject({ variant: before.get(early[0]!), reason: 'sticky', enrolled: false, epoch: 2 })
    const fresh = await assignUnit(key, 'late-1')
    expect(fresh).toMatchObject({ reason: 'hash', enrolled: true, epoch: 2 })
    const answer = await post([
      { id: `r1-${key}`, unit: early[0], name: 'click' },
      { id: `r2-${key}`, unit: 'late-1', name: 'click' },
    ])
    expect(answer.accepted).toBe(1)
    expect(answer.ignored).toEqual([expect.objectContaining({ index: 0, reason: 'earlier_epoch' })])
    const c = await counters(key)
    expect(c.epochs['2'].variants[fresh.variant].exposures).toBe(1)
    expect(c.epochs['2'].variants[fresh.variant].metrics.clicked.converters).toBe(1)
    const epoch1 = ['control', 'treatment'].reduce((n, v) => n + (c.epochs['1'].variants[v]?.exposures ?? 0), 0)
    expect(epoch1).toBe(early.length)
  })
})
