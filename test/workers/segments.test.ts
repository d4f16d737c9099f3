// Segments through the HTTP API on the real store: 2,000 units assigned by /v1/assign with countries
// and devices in a confounded mix (device depends on country), events through /v1/events, and the
// results' balance tables and Simpson checks. Skew is injected the way it happens in practice: the
// weights change while only one country's traffic arrives, so each country gets its own split.
import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, STORES, uniqueKey } from './helpers'
import { visit } from './site-support'

const MOBILE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148'
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36'
const metrics = [{ key: 'buy', type: 'binomial', event: 'buy' }]

type Unit = { unit: string; country: string; variant?: string }

describe.each(STORES)('segments and balance (%s store)', (_store, bindings) => {
  /** Assigns units one by one through /v1/assign; device follows country (DE mostly mobile, the rest mostly desktop). */
  async function assignAll(key: string, units: Unit[], attributes: (i: number) => Record<string, string> = () => ({})): Promise<void> {
    const one = async (u: Unit, i: number) => {
      const mobile = u.country === 'DE' ? i % 5 !== 0 : i % 5 === 0
      const res = await call('/v1/assign', { method: 'POST', json: { unit: u.unit, experiments: [key], country: u.country, userAgent: mobile ? MOBILE : DESKTOP, attributes: attributes(i) }, bindings })
      expect(res.status).toBe(200)
      u.variant = (await res.json<any>()).assignments[key].variant
    }
    // 25 requests at a time: concurrent isolates' exposures, as in production.
    for (let i = 0; i < units.length; i += 25) await Promise.all(units.slice(i, i + 25).map((u, j) => one(u, i + j)))
  }

  /** Sends a `buy` for the first round(rate × n) units of each (country, variant) group. */
  async function convert(units: Unit[], rate: (country: string, variant: string) => number): Promise<void> {
    const groups = new Map<string, Unit[]>()
    for (const u of units) groups.set(`${u.country}|${u.variant}`, [...(groups.get(`${u.country}|${u.variant}`) ?? []), u])
    const events = [...groups.values()].flatMap((g) => g.slice(0, Math.round(rate(g[0]!.country, g[0]!.variant!) * g.length)).map((u) => ({ id: `buy-${u.unit}`, unit: u.unit, name: 'buy' })))
    for (let i = 0; i < events.length; i += 500) {
      const res = await call('/v1/events', { method: 'POST', json: events.slice(i, i + 500), bindings })
      expect((await res.json<any>()).accepted).toBe(events.slice(i, i + 500).length)
    }
  }

  async function segments(key: string): Promise<any> {
    const res = await admin(`/v1/experiments/${key}/results?series=none`, { bindings })
    expect(res.status).toBe(200)
    return (await res.json<any>()).segments
  }

  const dim = (s: any, name: string) => s.dimensions.find((d: any) => d.dimension === name)

  it('should not flag balance under plain hashing, stay silent on Simpson when every country agrees, and bound a declared attribute to 50 values over 4 shards', async () => {
    const key = uniqueKey('seg')
    await createExperiment({ key, title: 'T', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }], metrics, segments: ['plan'], shards: 4 }, true, bindings)
    const countries = ['US', 'US', 'DE', 'FR', 'JP']
    const units: Unit[] = Array.from({ length: 2000 }, (_, i) => ({ unit: `${key}-u${i}`, country: countries[i % 5]! }))
    await assignAll(key, units, (i) => ({ plan: `p${i % 60}` }))
    await convert(units, (c, v) => (c === 'US' ? 0.3 : 0.1) + (v === 'treatment' ? 0.05 : 0))
    const s = await segments(key)
    expect(s).toMatchObject({ metric: 'buy', exploratory: true })
    const country = dim(s, 'country')
    expect(country.balance.flagged).toBe(false)
    expect(dim(s, 'device').balance.flagged).toBe(false)
    expect(country.values.map((v: any) => v.value)).toEqual(['DE', 'FR', 'JP', 'US'])
    expect(country.values.reduce((n: number, v: any) => n + v.units.control + v.units.treatment, 0)).toBe(2000)
    expect(country.simpson[0]).toMatchObject({ variant: 'treatment', paradox: false, text: null })
    expect(country.simpson[0].judged).toHaveLength(4)
    const us = country.values.find((v: any) => v.value === 'US').lifts[0]
    expect(us.absolute.estimate).toBeGreaterThan(0)
    expect(us.adjustedPValue).toBeGreaterThanOrEqual(us.pValue)
    const plan = dim(s, 'plan')
    expect(plan.values).toHaveLength(50)
    expect(plan.values.some((v: any) => v.value === '(other)')).toBe(true)
    expect(plan.values.reduce((n: number, v: any) => n + v.units.control + v.units.treatment, 0)).toBe(2000)
  }, 120_000)

  it('should flag balance when one country is assigned under skewed weights, and fire the Simpson check on the confounded lift', async () => {
    const key = uniqueKey('seg')
    await createExperiment({ key, title: 'T', variants: [{ key: 'control', weight: 9 }, { key: 'treatment', weight: 1 }], metrics }, true, bindings)
    const de: Unit[] = Array.from({ length: 1000 }, (_, i) => ({ unit: `${key}-de${i}`, country: 'DE' }))
    const us: Unit[] = Array.from({ length: 1000 }, (_, i) => ({ unit: `${key}-us${i}`, country: 'US' }))
    await assignAll(key, de)
    const patched = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 9 }] }, bindings })
    expect(patched.status).toBe(200)
    await assignAll(key, us)
    // Treatment is worse in both countries; US converts far more and is mostly treatment, so pooled it looks better.
    await convert([...de, ...us], (c, v) => (c === 'US' ? (v === 'treatment' ? 0.45 : 0.5) : v === 'treatment' ? 0.08 : 0.12))
    const s = await segments(key)
    const country = dim(s, 'country')
    expect(country.balance.flagged).toBe(true)
    expect(country.balance.pValue).toBeLessThan(0.001)
    const deRow = country.values.find((v: any) => v.value === 'DE')
    expect(deRow.share.control).toBeGreaterThan(deRow.share.treatment)
    expect(country.simpson[0]).toMatchObject({ variant: 'treatment', paradox: true, judged: ['DE', 'US'] })
    expect(country.simpson[0].text).toMatch(/better overall but worse in every country/)
    for (const v of country.values) expect(v.lifts[0].absolute.estimate).toBeLessThan(0)
  }, 120_000)

  it('should keep a unit in the segment of its first exposure when a later request says otherwise', async () => {
    const key = uniqueKey('seg')
    await createExperiment({ key, title: 'T', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }], metrics, segments: ['plan'] }, true, bindings)
    const first = { unit: `${key}-u`, experiments: [key], country: 'DE', attributes: { plan: 'free' } }
    expect((await call('/v1/assign', { method: 'POST', json: first, bindings })).status).toBe(200)
    expect((await call('/v1/assign', { method: 'POST', json: { ...first, country: 'US', attributes: { plan: 'pro' } }, bindings })).status).toBe(200)
    await call('/v1/events', { method: 'POST', json: [{ id: `e-${key}`, unit: first.unit, name: 'buy' }], bindings })
    const s = await segments(key)
    expect(dim(s, 'country').values.map((v: any) => v.value)).toEqual(['DE'])
    expect(dim(s, 'plan').values.map((v: any) => v.value)).toEqual(['free'])
  })

  it('should refuse more than 3 segment attributes, duplicates, and the built-in dimensions with a 400', async () => {
    for (const segments of [['a', 'b', 'c', 'd'], ['a', 'a'], ['country'], ['bad|name']]) {
      const res = await admin('/v1/experiments', { method: 'POST', json: { key: uniqueKey('seg'), title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], segments }, bindings })
      expect(res.status).toBe(400)
      expect((await res.json<any>()).error.code).toBe('invalid_request')
    }
  })

  it('should capture the segments of a page view through the site middleware: country from request.cf, device from the user agent', async () => {
    const key = uniqueKey('seg')
    await createExperiment({ key, title: 'T', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }], metrics }, true, bindings)
    const res = await visit('/', { vars: bindings, headers: { 'user-agent': MOBILE }, cf: { country: 'nz' } } as Parameters<typeof visit>[1])
    expect(res.status).toBeLessThan(500)
    const s = await segments(key)
    expect(dim(s, 'country').values.map((v: any) => v.value)).toEqual(['NZ'])
    expect(dim(s, 'device').values.map((v: any) => v.value)).toEqual(['mobile'])
  })
})
