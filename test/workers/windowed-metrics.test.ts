import { describe, expect, it } from 'vitest'
import { counterKeyOf } from '../../src/core/compile'
import type { Experiment } from '../../src/core/experiment'
import { utcDay } from '../../src/core/utc-day'
import { selectCounterStore } from '../../src/store/select-store'
import fixture from '../fixtures/stats/windowed-metrics.json'
import { admin, call, createExperiment, STORES, uniqueKey } from './helpers'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fx: any = fixture
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b))
const DAY_MS = 86_400_000

describe.each(STORES)('conversion windows and retention with the %s store', (_store, bindings) => {
  it("should count only events inside each unit's window and analyse only units whose window has elapsed (tools/fixtures/window_fixtures.py)", async () => {
    const key = uniqueKey('win')
    const metrics = [
      { key: 'visited', type: 'binomial', event: 'visit', role: 'primary' },
      ...Object.entries(fx.metrics).map(([k, m]: [string, any]) => ({ key: k, ...m, role: 'secondary' })),
    ]
    await createExperiment({ key, title: 'T', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }], metrics }, true, bindings)
    const counterKey = counterKeyOf(await (await admin(`/v1/experiments/${key}`, { bindings })).json<Experiment>())
    const now = Date.now()
    // Controlled first-exposure times: 3 days ago (mature for every window) or 10 minutes ago (maturing).
    const at = (u: any, i: number) => (u.cohortDaysAgo === 0 ? now - 600_000 : now - u.cohortDaysAgo * DAY_MS) - i * 1000
    const units = fx.units.map((u: any, i: number) => ({ ...u, unit: `${key}-${u.unit}`, at: at(u, i) }))
    await selectCounterStore(bindings).recordExposures([
      { experiment: counterKey, epoch: 1, exposures: units.map((u: any) => ({ unit: u.unit, variant: u.variant, allocationVersion: 1, day: utcDay(u.at), at: u.at })) },
    ])
    const events = units.flatMap((u: any) => u.events.map((e: any, j: number) => ({ id: `${u.unit}-${j}`, unit: u.unit, name: e.name, ts: u.at + e.after * 1000 })))
    const res = await call('/v1/events', { method: 'POST', json: events, bindings })
    expect(res.status).toBe(202)
    expect((await res.json<any>()).ignored).toEqual([])

    const results = await (await admin(`/v1/experiments/${key}/results?series=none`, { bindings })).json<any>()
    for (const [k, expected] of Object.entries(fx.expected) as [string, any][]) {
      const m = results.metrics.find((x: any) => x.key === k)
      expect(m).toMatchObject({ type: fx.metrics[k].type, window: fx.metrics[k].window, maturing: expected.maturing })
      for (const v of ['control', 'treatment']) {
        expect(m.variants.find((x: any) => x.variant === v)).toMatchObject({ n: expected.n[v], converters: expected.converters[v] })
      }
      const c = m.variants.find((x: any) => x.variant === 'treatment').comparison
      const want = expected.comparison
      for (const [got, ref] of [
        [c.pValue, want.pValue],
        [c.absolute.estimate, want.absolute.estimate],
        [c.absolute.ci[0], want.absolute.ci[0]],
        [c.absolute.ci[1], want.absolute.ci[1]],
        [c.relative.estimate, want.relative.estimate],
        [c.relative.ci[0], want.relative.ci[0]],
        [c.relative.ci[1], want.relative.ci[1]],
      ]) expect(rel(got, ref)).toBeLessThanOrEqual(1e-12)
    }
    // The unwindowed metric counts every visit of every unit, maturing or not.
    const visited = results.metrics.find((x: any) => x.key === 'visited')
    expect(visited.maturing).toBeUndefined()
    expect(visited.variants.reduce((s: number, v: any) => s + v.n, 0)).toBe(units.length)
    const visitors = units.filter((u: any) => u.events.some((e: any) => e.name === 'visit')).length
    expect(visited.variants.reduce((s: number, v: any) => s + v.converters, 0)).toBe(visitors)
  })

  it('should refuse a retention metric without a window, and a window that ends before it starts, with a 400', async () => {
    for (const m of [
      { key: 'r', type: 'retention', event: 'visit', role: 'primary' },
      { key: 'r', type: 'binomial', event: 'visit', role: 'primary', window: { start: 100, end: 50 } },
      { key: 'r', type: 'binomial', event: 'visit', role: 'primary', window: { start: 0, end: 700000 } },
    ]) {
      const res = await admin('/v1/experiments', { method: 'POST', json: { key: uniqueKey('bad'), title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], metrics: [m] }, bindings })
      expect(res.status).toBe(400)
    }
  })
})
