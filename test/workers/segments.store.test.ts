// Segment counters in both counter stores, driven directly: value admission under concurrent
// writers, a unit's segments fixed at its first exposure, and per-segment sums equal to the
// overall ones and equal between the stores. Every expected number is computed from the inputs.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { CounterStore, EventInput, ExposureInput, MetricSpec } from '../../src/store/counter-store'
import { DurableObjectCounterStore } from '../../src/store/durable-object/durable-object-store'
import { UpstashCounterStore } from '../../src/store/upstash/upstash-store'

const testEnv = env as typeof env & { TEST_UPSTASH_URL: string; TEST_UPSTASH_TOKEN: string }
const STORES: [string, () => CounterStore][] = [
  ['durable-object', () => new DurableObjectCounterStore(testEnv.COUNTERS)],
  ['upstash', () => new UpstashCounterStore({ url: testEnv.TEST_UPSTASH_URL, token: testEnv.TEST_UPSTASH_TOKEN })],
]
const DAY = '2026-11-01'
const METRICS: MetricSpec[] = [
  { key: 'buy', type: 'binomial' },
  { key: 'rev', type: 'mean', cap: 40 },
  { key: 'aov', type: 'ratio' },
]
const variantOf = (i: number) => (i % 3 === 0 ? 'A' : 'B')
const deviceOf = (i: number) => (i % 2 ? 'mobile' : 'desktop')
const units = Array.from({ length: 60 }, (_, i) => i)

/** Runs the same exposures and events through a store; returns its segment counters. */
async function run(store: CounterStore, experiment: string): Promise<Record<string, number>> {
  const exposure = (i: number, country = `C${i}`): ExposureInput => ({ unit: `u${i}`, variant: variantOf(i), allocationVersion: 1, day: DAY, segments: { country, device: deviceOf(i) } })
  // Six concurrent writers of 10 units each: 60 country values compete for 50 places.
  await Promise.all([0, 1, 2, 3, 4, 5].map((w) => store.recordExposures([{ experiment, epoch: 1, exposures: units.slice(w * 10, w * 10 + 10).map((i) => exposure(i)) }])))
  // A second exposure with other segments changes nothing: segments are fixed at the first.
  await store.recordExposures([{ experiment, epoch: 1, exposures: [exposure(0, 'ZZ')] }])
  const events: EventInput[] = units.flatMap((i) => [
    { id: `b${i}`, unit: `u${i}`, value: 1, day: DAY, metrics: ['buy'] },
    { id: `r${i}`, unit: `u${i}`, value: i, day: DAY, metrics: ['rev', `aov|${i}|2`] },
    { id: `s${i}`, unit: `u${i}`, value: 0.5, day: DAY, metrics: ['rev'] },
  ])
  const outcomes = await store.recordEvents([{ experiment, epoch: 1, metrics: METRICS, events }])
  expect(outcomes[experiment]!.every((o) => o === 'counted')).toBe(true)
  const raw = await store.getCounters(experiment)
  return Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith('g')))
}

describe('segment counters in both stores', () => {
  it('should admit 50 values per dimension under concurrent writers, mirror every metric sum per segment, and agree between the stores', async () => {
    const stamp = Date.now().toString(36)
    const results = await Promise.all(STORES.map(([name, make]) => run(make(), `seg_${name}_${stamp}`)))
    for (const g of results) {
      const country = Object.entries(g).filter(([k]) => k.startsWith('gx|1|country|'))
      expect(country.reduce((n, [, v]) => n + v, 0)).toBe(60)
      expect(new Set(country.map(([k]) => k.split('|')[3])).size).toBe(51)
      expect(country.filter(([k]) => k.split('|')[3] === '(other)').reduce((n, [, v]) => n + v, 0)).toBe(10)
      expect(country.some(([k]) => k.includes('|ZZ|'))).toBe(false)
      for (const device of ['mobile', 'desktop']) {
        for (const variant of ['A', 'B']) {
          const mine = units.filter((i) => deviceOf(i) === device && variantOf(i) === variant)
          const capped = mine.map((i) => Math.min(i + 0.5, 40))
          expect(g[`gx|1|device|${device}|${variant}`]).toBe(mine.length)
          expect(g[`gn|1|device|${device}|${variant}|buy`]).toBe(mine.length)
          expect(g[`gs|1|device|${device}|${variant}|rev`]).toBeCloseTo(capped.reduce((a, b) => a + b, 0), 9)
          expect(g[`gq|1|device|${device}|${variant}|rev`]).toBeCloseTo(capped.reduce((a, b) => a + b * b, 0), 6)
          expect(g[`gs|1|device|${device}|${variant}|aov`]).toBe(mine.reduce((a, i) => a + i, 0))
          expect(g[`gsy|1|device|${device}|${variant}|aov`]).toBe(2 * mine.length)
          expect(g[`gp|1|device|${device}|${variant}|aov`]).toBe(mine.reduce((a, i) => a + 2 * i, 0))
        }
      }
    }
    // Device values are the same in both; which 50 countries were admitted depends on write order.
    const devices = (g: Record<string, number>) => Object.fromEntries(Object.entries(g).filter(([k]) => k.includes('|device|')))
    expect(devices(results[0]!)).toEqual(devices(results[1]!))
  }, 60_000)
})
