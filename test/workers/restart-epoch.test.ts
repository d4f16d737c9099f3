// A restart raises the epoch, but every isolate caches the config for up to 30 s. Units first
// exposed after the restart by an isolate that still has the old epoch belong to the new epoch:
// the ConfigWriter tells the counter store of the new epoch, and the store records under it.
import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, env, uniqueKey, untilPublished } from './helpers'

const variants = [
  { key: 'control', weight: 1 },
  { key: 'treatment', weight: 1 },
]
const metrics = [{ key: 'clicked', type: 'binomial', event: 'click' }]

/** A KV binding of its own: the config cache is per binding (src/config/config-cache.ts), so this is another isolate's cache. */
function otherIsolateKv(): KVNamespace {
  return new Proxy(env.CONFIG, {
    get(target, prop) {
      const value = Reflect.get(target, prop)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

describe('a restart that another isolate has not seen yet', () => {
  it('should count units first exposed after the restart, and their events, in the new epoch', async () => {
    const key = uniqueKey('restart')
    await createExperiment({ key, title: 'T', variants, metrics })
    await untilPublished() // the start came right after the create: KV has it within a second
    const stale: Env = { ...env, CONFIG: otherIsolateKv() }
    // The other isolate loads the config while epoch 1 is current, and exposes one unit in it.
    const early = await (await call(`/v1/assign?unit=early&experiments=${key}`, { bindings: stale })).json<any>()
    expect(early.assignments[key]).toMatchObject({ epoch: 1, enrolled: true })

    for (const to of ['paused', 'running']) {
      expect((await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to } })).status).toBe(200)
    }

    // Within its 30 s, the other isolate still assigns under epoch 1.
    const late = await (await call(`/v1/assign?unit=late&experiments=${key}`, { bindings: stale })).json<any>()
    expect(late.assignments[key]).toMatchObject({ epoch: 1, reason: 'hash', enrolled: true })
    const clicks = [
      { id: `late-${key}`, unit: 'late', name: 'click' },
      { id: `early-${key}`, unit: 'early', name: 'click' },
    ]
    const answer = await (await call('/v1/events', { method: 'POST', json: clicks, bindings: stale })).json<any>()
    expect(answer).toMatchObject({ accepted: 1, ignored: [expect.objectContaining({ index: 1, reason: 'earlier_epoch' })] })

    const counts = await (await admin(`/v1/experiments/${key}/counts`)).json<any>()
    expect(counts.epoch).toBe(2)
    const epochs = counts.counters.epochs
    expect(epochs['2'].variants[late.assignments[key].variant]).toMatchObject({ exposures: 1, metrics: { clicked: { converters: 1 } } })
    const exposuresIn = (epoch: string) => Object.values<any>(epochs[epoch]?.variants ?? {}).reduce((n, v) => n + v.exposures, 0)
    expect(exposuresIn('1')).toBe(1)
    expect(exposuresIn('2')).toBe(1)

    // The analysis of epoch 2 sees the late unit and its click.
    const results = await (await admin(`/v1/experiments/${key}/results`)).json<any>()
    expect(results.epoch).toBe(2)
    const rows = results.metrics[0].variants as { variant: string; n: number; converters: number }[]
    expect(rows.map((r) => [r.variant, r.n, r.converters])).toEqual(
      variants.map((v) => (v.key === late.assignments[key].variant ? [v.key, 1, 1] : [v.key, 0, 0])),
    )
  })
})
