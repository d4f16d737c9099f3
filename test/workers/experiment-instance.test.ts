// Counters belong to one experiment instance, not to its key: deleting an experiment and creating
// another under the same key must start from nothing.
import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, STORES, uniqueKey } from './helpers'

const variants = [
  { key: 'control', weight: 1 },
  { key: 'treatment', weight: 1 },
]
const metrics = [{ key: 'clicked', type: 'binomial', event: 'click' }]

describe.each(STORES)('an experiment re-created under a deleted one\'s key, with the %s store', (_store, bindings) => {
  const assignUnit = async (key: string, unit: string) => (await (await call(`/v1/assign?unit=${unit}&experiments=${key}`, { bindings })).json<any>()).assignments[key]
  const counts = async (key: string) => (await (await admin(`/v1/experiments/${key}/counts`, { bindings })).json<any>()).counters
  const click = async (key: string, unit: string, id: string) =>
    (await call('/v1/events', { method: 'POST', json: { id: `${id}-${key}`, unit, name: 'click' }, bindings })).json<any>()

  it('should start from zero counts and never use the deleted instance\'s sticky records', async () => {
    const key = uniqueKey('reborn')
    const first = await createExperiment({ key, title: 'First', variants, metrics }, true, bindings)
    expect((await assignUnit(key, 'u-old')).enrolled).toBe(true)
    expect(await click(key, 'u-old', 'first')).toMatchObject({ accepted: 1 })
    expect((await counts(key)).epochs['1']).toBeDefined()

    expect((await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'stopped' }, bindings })).status).toBe(200)
    expect((await admin(`/v1/experiments/${key}`, { method: 'DELETE', bindings })).status).toBe(204)
    const second = await createExperiment({ key, title: 'Second', variants, metrics }, true, bindings)

    expect(await counts(key)).toEqual({ epochs: {} })
    expect(second.id).toEqual(expect.any(String))
    expect(second.id).not.toBe(first.id)
    const results = await (await admin(`/v1/experiments/${key}/results`, { bindings })).json<any>()
    expect(results.metrics[0].variants.map((v: { n: number }) => v.n)).toEqual([0, 0])

    // A reweight makes sticky records matter; the old unit is a new unit here, hashed afresh.
    const reweighted = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [variants[0], { key: 'treatment', weight: 3 }] }, bindings })
    expect(reweighted.status).toBe(200)
    expect((await reweighted.json<any>()).id).toBe(second.id)
    const again = await assignUnit(key, 'u-old')
    expect(again).toMatchObject({ reason: 'hash', enrolled: true })
    // The old instance's event id is not remembered either.
    expect(await click(key, 'u-old', 'first')).toMatchObject({ accepted: 1 })
    const epoch = (await counts(key)).epochs['1']
    expect(epoch.variants[again.variant]).toMatchObject({ exposures: 1, metrics: { clicked: { converters: 1 } } })
  })

  it('should keep the instance id out of reach of edits', async () => {
    const key = uniqueKey('fixed-id')
    const created = await createExperiment({ key, title: 'T', variants, metrics }, false, bindings)
    const patched = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { id: 'someone-else' }, bindings })
    expect(patched.status).toBe(400)
    expect((await admin('/v1/experiments', { method: 'POST', json: { key: uniqueKey('with-id'), id: created.id, title: 'T', variants }, bindings })).status).toBe(400)
    expect((await (await admin(`/v1/experiments/${key}`, { bindings })).json<any>()).id).toBe(created.id)
  })
})
