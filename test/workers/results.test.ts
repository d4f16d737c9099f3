import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { counterKeyOf } from '../../src/core/compile'
import type { Experiment } from '../../src/core/experiment'
import { selectCounterStore } from '../../src/store/select-store'
import fixtures from '../fixtures/seed000-results.json'
import { admin, call, createExperiment, uniqueKey } from './helpers'

const store = () => selectCounterStore(env)
const today = new Date().toISOString().slice(0, 10)

/**
 * Records n exposures under `variant` and converts the first x of them, straight into the real
 * store, under the counter key of the experiment stored as `key` (its instance, not its key).
 */
async function fill(key: string, epoch: number, variant: string, n: number, x: number, metric = 'conversion', event = 'conversion') {
  const counterKey = counterKeyOf(await (await admin(`/v1/experiments/${key}`)).json<Experiment>())
  const units = Array.from({ length: n }, (_, i) => `${key}-${variant}-${i}`)
  await store().recordExposures([{ experiment: counterKey, epoch, exposures: units.map((unit) => ({ unit, variant, allocationVersion: 1, day: today })) }])
  if (x === 0) return
  await store().recordEvents([
    {
      experiment: counterKey,
      epoch,
      metrics: [{ key: metric, type: 'binomial' }],
      events: units.slice(0, x).map((unit) => ({ id: `${unit}-${event}`, unit, value: 0, day: today, metrics: [metric] })),
    },
  ])
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300)

describe('GET /v1/experiments/:key/results', () => {
  it('should report the pooled p-value and the CI of the issue for 1000/150 vs 1000/180', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }] })
    await fill(key, 1, 'control', 1000, 150)
    await fill(key, 1, 'treatment', 1000, 180)
    const res = await admin(`/v1/experiments/${key}/results`)
    expect(res.status).toBe(200)
    const r = await res.json<any>()
    const t = r.metrics[0].variants.find((v: any) => v.variant === 'treatment')
    expect(t.n).toBe(1000)
    expect(t.comparison.pValue).toBeCloseTo(0.0707214834093, 12)
    expect(t.comparison.absolute.ci[0]).toBeCloseTo(-0.00251, 5)
    expect(t.comparison.absolute.ci[1]).toBeCloseTo(0.06251, 5)
    expect(t.comparison.relative.estimate).toBeCloseTo(0.2, 12)
    expect(t.comparison.adjustedPValue).toBe(t.comparison.pValue) // one comparison: Holm leaves it
    expect(t.comparison.sequential.pValue).toBeGreaterThan(t.comparison.pValue)
    expect(t.comparison.chanceToBeatControl).toBeGreaterThan(0.95)
    expect(r.srm).toMatchObject({ mismatch: false, observed: { control: 1000, treatment: 1000 } })
    expect(r.verdict.status).toBe('keep_running')
    expect(r.verdict.text).toMatch(/^keep running: 1,000 of [\d,]+ units per variant$/)
    expect(r.series.conversion).toHaveLength(1)
    expect(r.series.conversion[0].variants.treatment).toEqual({ n: 1000, value: 0.18 })
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/)
  })

  it('should flag a sample ratio mismatch and say not to trust the results', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }] })
    await fill(key, 1, 'control', 600, 60)
    await fill(key, 1, 'treatment', 400, 40)
    const r = await (await admin(`/v1/experiments/${key}/results`)).json<any>()
    expect(r.srm.mismatch).toBe(true)
    expect(r.srm.pValue).toBeLessThan(0.001)
    expect(r.verdict).toEqual({ status: 'srm', text: 'sample ratio mismatch: do not trust these results' })
  })

  it('should call a clear winner significant once the sequential test agrees', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }] })
    await fill(key, 1, 'Moon', 3000, 300)
    await fill(key, 1, 'Mars', 3000, 600)
    const r = await (await admin(`/v1/experiments/${key}/results`)).json<any>()
    expect(r.verdict).toMatchObject({ status: 'significant', text: expect.stringMatching(/^significant: Mars beats Moon on conversion \(\+100\.0%\)$/) })
  })

  it('should explain an empty experiment, with no NaN anywhere', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], metrics: [{ key: 'rev', type: 'mean', event: 'buy' }] })
    const res = await admin(`/v1/experiments/${key}/results`)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toMatch(/NaN|Infinity/)
    expect(JSON.parse(text).verdict).toEqual({ status: 'no_data', text: 'no exposures yet' })
  })

  it('should need admin rights and name unknown experiments', async () => {
    expect((await call('/v1/experiments/x/results')).status).toBe(401)
    expect((await admin('/v1/experiments/nope/results')).status).toBe(404)
  })
})

describe('GET /v1/sample-size', () => {
  it('should give seed 000 and statsmodels\' sample size per variant', async () => {
    const r = await (await call('/v1/sample-size?baseline=0.15&mde=0.2')).json<any>()
    expect(r).toMatchObject({ baseline: 0.15, variants: 2, alpha: 0.05, power: 0.8 })
    expect(r.expected).toBeCloseTo(0.18, 12)
    // [z*√(2p̄q̄) + z_β√(p₁q₁+p₂q₂)]²/δ² with p₁ = .15, p₂ = .18
    const zA = 1.959963984540054
    const zB = 0.8416212335729143
    const pbar = 0.165
    const raw = (zA * Math.sqrt(2 * pbar * (1 - pbar)) + zB * Math.sqrt(0.15 * 0.85 + 0.18 * 0.82)) ** 2 / 0.03 ** 2
    expect(r.perVariant).toBe(Math.ceil(raw))
    expect(r.total).toBe(2 * r.perVariant)
  })

  it('should plan A/B/n with a Bonferroni share of alpha and accept absolute effects', async () => {
    const three = await (await call('/v1/sample-size?baseline=0.1&mde=0.02&mdeType=absolute&variants=3')).json<any>()
    expect(three.alphaPerComparison).toBeCloseTo(0.025, 15)
    expect(three.expected).toBeCloseTo(0.12, 15)
    const two = await (await call('/v1/sample-size?baseline=0.1&mde=0.02&mdeType=absolute')).json<any>()
    expect(three.perVariant).toBeGreaterThan(two.perVariant)
  })

  it('should refuse nonsense with a clear 400', async () => {
    for (const [q, msg] of [
      ['baseline=1.2&mde=0.1', /baseline must be a rate/],
      ['baseline=abc&mde=0.1', /baseline must be a number/],
      ['mde=0.1', /baseline: is required/],
      ['baseline=0.5&mde=1.5', /expected rate .* must stay below 1/],
      ['baseline=0.1&mde=0.1&variants=1', /variants must be at least 2/],
      ['baseline=0.1&mde=0.1&power=2', /power must be in/],
    ] as const) {
      const res = await call(`/v1/sample-size?${q}`)
      expect(res.status).toBe(400)
      expect((await res.json<any>()).error.message).toMatch(msg)
    }
  })
})

// Seed 000's endpoints themselves are tested in seed000.happy.test.ts and seed000.security.test.ts.
describe('seed 000 results', () => {
  it.each(fixtures.cases.map((c) => [`${c.control_samples}/${Math.round(c.control_conversion_rate * c.control_samples)} vs ${c.treatment_samples}`, c]))(
    'should match the seed analyzer to 1e-12 for %s',
    async (_name, expected) => {
      const created = await (await admin('/experiments', { method: 'POST', json: { name: 'fx', description: '', control_model_id: 'a', treatment_model_id: 'b' } })).json<any>()
      await admin(`/experiments/${created.id}/start`, { method: 'POST' })
      await fill(created.id, 1, 'control', expected.control_samples, Math.round(expected.control_conversion_rate * expected.control_samples))
      await fill(created.id, 1, 'treatment', expected.treatment_samples, Math.round(expected.treatment_conversion_rate * expected.treatment_samples))
      const r = await (await admin(`/experiments/${created.id}/results`)).json<any>()
      expect(r.experiment_id).toBe(created.id)
      expect(r.is_significant).toBe(expected.is_significant)
      for (const k of ['control_samples', 'treatment_samples', 'control_conversion_rate', 'treatment_conversion_rate', 'relative_lift', 'p_value'] as const) {
        expect(rel(r[k], expected[k] as number), k).toBeLessThanOrEqual(1e-12)
      }
      r.confidence_interval.forEach((x: number, i: number) => expect(rel(x, expected.confidence_interval[i]!)).toBeLessThanOrEqual(1e-12))
    },
  )
})
