import { describe, expect, it } from 'vitest'
import { ratioTest, sequentialTest } from '../../src/stats'
import { admin, call, createExperiment, STORES, uniqueKey } from './helpers'

const variants = [
  { key: 'control', weight: 1 },
  { key: 'treatment', weight: 1 },
]
// Revenue per order (sums the purchase values over the count of purchases) and clicks per pageview.
const metrics = [
  { key: 'aov', type: 'ratio', numerator: 'revenue', denominator: 'purchase', role: 'primary' },
  { key: 'revenue', type: 'mean', event: 'purchase', role: 'secondary' },
  { key: 'ctr', type: 'ratio', numerator: 'click', denominator: 'pageview', role: 'secondary' },
]

/** A unit's events: its purchases (values) and its pageviews and clicks, from its index. */
const plan = (i: number) => ({ purchases: Array.from({ length: i % 4 }, (_, j) => 10 + ((i * 7 + j * 3) % 23) + 0.25 * (j % 2)), pageviews: 1 + (i % 5), clicks: i % 3 })

describe.each(STORES)('ratio metrics end to end with the %s store', (_store, bindings) => {
  it('should keep Σx, Σy, Σx², Σy², Σxy per variant exactly and analyse them by the delta method', async () => {
    const key = uniqueKey('ratio')
    await createExperiment({ key, title: 'T', variants, metrics }, true, bindings)
    const units = Array.from({ length: 60 }, (_, i) => `r-${key}-${i}`)
    const variantOf = new Map<string, string>()
    for (const u of units) variantOf.set(u, (await (await call(`/v1/assign?unit=${u}&experiments=${key}`, { bindings })).json<any>()).assignments[key].variant)
    const events = units.flatMap((unit, i) => {
      const p = plan(i)
      return [
        ...p.purchases.map((value, j) => ({ id: `${unit}-p${j}`, unit, name: 'purchase', value })),
        ...Array.from({ length: p.pageviews }, (_, j) => ({ id: `${unit}-v${j}`, unit, name: 'pageview' })),
        ...Array.from({ length: p.clicks }, (_, j) => ({ id: `${unit}-c${j}`, unit, name: 'click' })),
      ]
    })
    const answer = await (await call('/v1/events', { method: 'POST', json: events, bindings })).json<any>()
    expect(answer).toEqual({ accepted: events.length, duplicate: 0, ignored: [] })
    // A retry of the same batch changes nothing.
    expect((await (await call('/v1/events', { method: 'POST', json: events.slice(0, 50), bindings })).json<any>()).duplicate).toBe(50)

    const expected = (metric: 'aov' | 'ctr', variant: string) => {
      const s = { n: 0, sumX: 0, sumY: 0, sumXSq: 0, sumYSq: 0, sumXY: 0, converters: 0 }
      units.forEach((u, i) => {
        if (variantOf.get(u) !== variant) return
        const p = plan(i)
        // Per-unit totals, added in the order the events were sent (as the stores add them).
        const x = metric === 'aov' ? p.purchases.reduce((a, b) => a + b, 0) : p.clicks
        const y = metric === 'aov' ? p.purchases.length : p.pageviews
        s.n++
        s.sumX += x
        s.sumY += y
        s.sumXSq += x * x
        s.sumYSq += y * y
        s.sumXY += x * y
        if (y > 0 || x > 0) s.converters++
      })
      return s
    }
    const counts = (await (await admin(`/v1/experiments/${key}/counts`, { bindings })).json<any>()).counters.epochs['1'].variants
    const results = await (await admin(`/v1/experiments/${key}/results?series=all`, { bindings })).json<any>()
    for (const metric of ['aov', 'ctr'] as const) {
      const c = expected(metric, 'control')
      const t = expected(metric, 'treatment')
      for (const [v, s] of [['control', c], ['treatment', t]] as const) {
        expect(counts[v].metrics[metric]).toEqual({ converters: s.converters, sum: s.sumX, sumSq: s.sumXSq, sumY: s.sumY, sumSqY: s.sumYSq, sumXY: s.sumXY })
      }
      const table = results.metrics.find((m: any) => m.key === metric)
      expect(table.type).toBe('ratio')
      const row = table.variants.find((v: any) => v.variant === 'treatment')
      expect(row).toMatchObject({ n: t.n, numerator: t.sumX, denominator: t.sumY, value: t.sumX / t.sumY })
      const test = ratioTest({ control: c, treatment: t, alpha: 0.05 })
      const seq = sequentialTest({ kind: 'ratio', control: c, treatment: t, alpha: 0.05, nStar: 5000 })
      expect(test.reason).toBeNull()
      expect(row.comparison).toMatchObject({ pValue: test.pValue, absolute: { estimate: test.absolute.estimate, ci: test.absolute.ci }, relative: { ci: test.relative.ci }, sequential: { pValue: seq.pValue, ci: seq.ci } })
      expect(row.comparison.power).toBeGreaterThan(0)
      expect(row.comparison.requiredN).toBeGreaterThan(0)
      // The series' last day is the whole epoch: the same test.
      expect(results.series[metric].at(-1).comparisons.treatment.pValue).toBe(test.pValue)
    }
    expect(results.metrics.find((m: any) => m.key === 'aov')).toMatchObject({ event: 'purchase / purchase', numerator: { event: 'purchase', aggregate: 'sum' }, denominator: { event: 'purchase', aggregate: 'count' } })
  })

  it('should refuse a ratio metric without a denominator, with an event, or naming another ratio, with a 400', async () => {
    for (const bad of [
      [{ key: 'r', type: 'ratio', numerator: 'a', role: 'primary' }],
      [{ key: 'r', type: 'ratio', numerator: 'a', denominator: 'b', event: 'a', role: 'primary' }],
      [{ key: 'r', type: 'ratio', numerator: 'a', denominator: 'b', role: 'primary' }, { key: 's', type: 'ratio', numerator: 'r', denominator: 'b', role: 'secondary' }],
      [{ key: 'm', type: 'mean', role: 'primary' }],
    ]) {
      const res = await admin('/v1/experiments', { method: 'POST', json: { key: uniqueKey('bad'), title: 'T', variants, metrics: bad }, bindings })
      expect(res.status).toBe(400)
      expect((await res.json<any>()).error.code).toBeTruthy()
    }
  })
})
