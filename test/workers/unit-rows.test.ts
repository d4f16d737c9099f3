// A counter object keeps one row per unit for all the experiments it holds
// (src/store/durable-object/unit-rows.ts). These tests drive the real Durable Object: a unit exposed
// to more experiments than its row takes has the rest spilled and still counts once in each, and
// an object written before unit rows existed keeps its units' first assignments from its older
// sticky table. Every expected number comes from the inputs.
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { field } from '../../src/core/counters'
import { formatCounterKey } from '../../src/core/counter-key'
import { segmentField } from '../../src/core/segments'
import type { ExposureInput } from '../../src/store/counter-store'
import type { CounterShard } from '../../src/store/durable-object/counter-shard'
import { DurableObjectCounterStore } from '../../src/store/durable-object/durable-object-store'
import { MAX_ROW_CHARS } from '../../src/store/durable-object/unit-rows'
import { objectNameOf, scopeOf } from '../../src/store/shard-router'

const DAY = '2026-11-01'
const AT = 1_764_547_200_000
const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
const exposure = (unit: string, variant: string, i = 0): ExposureInput => ({ unit, variant, allocationVersion: 1, day: DAY, at: AT + i, segments: { country: 'DE', device: 'mobile' } })
const stubOf = (experiment: string, unit: string) => env.COUNTERS.get(env.COUNTERS.idFromName(objectNameOf(experiment, unit)))
const buy = (unit: string, id: string) => ({ id, unit, value: 1, day: DAY, metrics: ['buy'] })

describe('one row per unit in a pooled counter object', () => {
  it('should count a unit once in each of more experiments than its row takes, spilling the rest, and read every record back', async () => {
    const run = tag()
    // 20 pooled experiments with one shard: all in the same object, so one unit has 20 records there.
    const keys = Array.from({ length: 20 }, (_, i) => formatCounterKey(`ur_${run}_${i}`, 1, true))
    const unit = `spill-${run}`
    const store = new DurableObjectCounterStore(env.COUNTERS)
    const variantOf = (i: number) => (i % 2 ? 'B' : 'A')
    const batches = (offset: number) => keys.map((experiment, i) => ({ experiment, epoch: 1, exposures: [exposure(unit, variantOf(i + offset), i)] }))
    expect(await store.recordExposures(batches(0))).toEqual(Object.fromEntries(keys.map((k) => [k, 1])))
    // Exposed again, in other variants: nothing counts, and the first assignments stay.
    expect(await store.recordExposures(batches(1))).toEqual(Object.fromEntries(keys.map((k) => [k, 0])))
    const sticky = await store.getSticky(keys, unit)
    expect(keys.map((k) => sticky[k]?.variant)).toEqual(keys.map((_, i) => variantOf(i)))
    // The row stayed within its bound and the records beyond it were spilled, none lost or doubled.
    const stored = await runInDurableObject(stubOf(keys[0]!, unit), (_: CounterShard, state) => {
      const row = state.storage.sql.exec<{ records: string }>('SELECT records FROM unit_rows WHERE unit = ?', unit).one()
      const ids = keys.map((k) => state.storage.sql.exec<{ id: number }>('SELECT id FROM scopes WHERE scope = ?', scopeOf(k)).one().id)
      const spills = ids.filter((id) => state.storage.sql.exec('SELECT 1 FROM unit_spills WHERE unit = ?', `${id}/${unit}`).toArray().length > 0)
      return { chars: row.records.length, inRow: Object.keys(JSON.parse(row.records)).length, spills: spills.length }
    })
    expect(stored.chars).toBeLessThanOrEqual(MAX_ROW_CHARS)
    expect(stored.spills).toBeGreaterThan(0)
    expect(stored.inRow + stored.spills).toBe(keys.length)
    // Events count under each experiment's sticky variant, in the unit's segments, once per id.
    for (const [i, experiment] of keys.entries()) {
      const outcomes = await store.recordEvents([{ experiment, epoch: 1, metrics: [{ key: 'buy', type: 'binomial' }], events: [buy(unit, 'e1'), buy(unit, 'e1')] }])
      expect(outcomes[experiment]).toEqual(['counted', 'duplicate'])
      const counters = await store.getCounters(experiment)
      expect(counters[field.exposures(1, variantOf(i))]).toBe(1)
      expect(counters[field.converters(1, variantOf(i), 'buy')]).toBe(1)
      expect(counters[segmentField(field.converters(1, variantOf(i), 'buy'), 'country', 'DE')!]).toBe(1)
    }
    // Every record kept its own exposure time, in the row or spilled.
    for (const [i, experiment] of keys.entries()) expect(await store.getExposureTimes(experiment, [unit, 'nobody'])).toEqual({ [unit]: AT + i })
  })

  it('should write one row for a new unit exposed to several experiments in one call', async () => {
    const run = tag()
    const keys = Array.from({ length: 3 }, (_, i) => formatCounterKey(`ur1_${run}_${i}`, 1, true))
    const store = new DurableObjectCounterStore(env.COUNTERS)
    const units = [`a-${run}`, `b-${run}`]
    await store.recordExposures(keys.map((experiment) => ({ experiment, epoch: 1, exposures: units.map((u) => exposure(u, 'A')) })))
    const rows = await runInDurableObject(stubOf(keys[0]!, units[0]!), (_: CounterShard, state) =>
      units.map((u) => Object.keys(JSON.parse(state.storage.sql.exec<{ records: string }>('SELECT records FROM unit_rows WHERE unit = ?', u).one().records)).length),
    )
    expect(rows).toEqual([keys.length, keys.length])
  })

  it('should read and write a call of more units than one statement takes, stored and new mixed, counting each new unit once and its events under its first variant', async () => {
    const run = tag()
    // One pooled experiment with one shard: every unit's row is in the same object.
    const experiment = formatCounterKey(`urn_${run}`, 1, true)
    const store = new DurableObjectCounterStore(env.COUNTERS)
    const units = Array.from({ length: 250 }, (_, i) => `n${i}-${run}`)
    const stored = units.filter((_, i) => i % 3 === 0)
    expect(await store.recordExposures([{ experiment, epoch: 1, exposures: stored.map((u) => exposure(u, 'A')) }])).toEqual({ [experiment]: stored.length })
    // Every unit again, in B, and one named twice: only the ones not stored yet count, each once.
    const all = [...units, units[1]!].map((u, i) => exposure(u, 'B', i))
    expect(await store.recordExposures([{ experiment, epoch: 1, exposures: all }])).toEqual({ [experiment]: units.length - stored.length })
    const sticky = await Promise.all([units[0]!, units[1]!, units[249]!].map((u) => store.getSticky([experiment], u)))
    expect(sticky.map((s) => s[experiment]?.variant)).toEqual(['A', 'B', 'A'])
    const rows = await runInDurableObject(stubOf(experiment, units[0]!), (_: CounterShard, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM unit_rows WHERE unit LIKE ?', `%-${run}`).one().n)
    expect(rows).toBe(units.length)
    // Events of every unit and of one never exposed, in one batch: each exposed unit's counts under its first variant.
    const events = [...units, `stranger-${run}`].map((u, i) => buy(u, `e${i}`))
    const outcomes = await store.recordEvents([{ experiment, epoch: 1, metrics: [{ key: 'buy', type: 'binomial' }], events }])
    expect(outcomes[experiment]).toEqual([...units.map(() => 'counted'), 'not_exposed'])
    const counters = await store.getCounters(experiment)
    expect([counters[field.converters(1, 'A', 'buy')], counters[field.converters(1, 'B', 'buy')]]).toEqual([stored.length, units.length - stored.length])
  })
})

describe('a counter object written before unit rows existed', () => {
  it('should keep its units\' first assignments, times and segments from the older sticky table and count them no second time', async () => {
    const exp = formatCounterKey(`urold_${tag()}`, 1, false)
    const store = new DurableObjectCounterStore(env.COUNTERS)
    // The object as the previous version left it: one unit in the per-scope sticky table, with its
    // time and segments in the row, and its counters.
    await runInDurableObject(stubOf(exp, 'x'), (_: CounterShard, state) => {
      const sql = state.storage.sql
      sql.exec('DROP TABLE sticky')
      sql.exec('CREATE TABLE sticky (unit TEXT PRIMARY KEY, variant TEXT NOT NULL, epoch INTEGER NOT NULL, allocation_version INTEGER NOT NULL, at INTEGER, segments TEXT) WITHOUT ROWID')
      sql.exec("INSERT INTO sticky VALUES ('old', 'B', 1, 1, 1700000000000, '[[\"country\",\"FR\"]]')")
      sql.exec("INSERT INTO counters VALUES ('x|1|B', 1), ('gx|1|country|FR|B', 1)")
    })
    // Exposed again (in another variant) beside a new unit: only the new one counts.
    expect(await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('old', 'A'), exposure('new', 'A')] }])).toEqual({ [exp]: 1 })
    expect(await store.getSticky([exp], 'old')).toEqual({ [exp]: { variant: 'B', epoch: 1, allocationVersion: 1 } })
    expect(await store.getExposureTimes(exp, ['old', 'new'])).toEqual({ old: 1_700_000_000_000, new: AT })
    const outcomes = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [{ key: 'buy', type: 'binomial' }], events: [buy('old', 'o1'), buy('new', 'n1')] }])
    expect(outcomes[exp]).toEqual(['counted', 'counted'])
    const counters = await store.getCounters(exp)
    expect([counters[field.exposures(1, 'A')], counters[field.exposures(1, 'B')]]).toEqual([1, 1])
    expect([counters[field.converters(1, 'A', 'buy')], counters[field.converters(1, 'B', 'buy')]]).toEqual([1, 1])
    expect(counters[segmentField(field.converters(1, 'B', 'buy'), 'country', 'FR')!]).toBe(1)
  })
})
