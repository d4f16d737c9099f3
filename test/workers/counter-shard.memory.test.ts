// The counter shard keeps its current epoch and each dimension's admitted segment values in memory
// (src/store/durable-object/counter-shard.ts, src/store/segment-writes.ts). These tests drive the
// real Durable Object and check that memory never disagrees with storage: an epoch raised through
// the ConfigWriter's tell-every-shard path is seen by the next write, a rolled-back transaction
// leaves nothing behind, the admission cap stays exact under concurrent writers, and batches
// larger than one multi-row statement are written whole. Every expected number comes from the inputs.
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { field } from '../../src/core/counters'
import { formatCounterKey } from '../../src/core/counter-key'
import { MAX_SEGMENT_VALUES, OTHER, segmentField } from '../../src/core/segments'
import type { ExposureInput } from '../../src/store/counter-store'
import type { CounterShard } from '../../src/store/durable-object/counter-shard'
import { DurableObjectCounterStore } from '../../src/store/durable-object/durable-object-store'
import { objectNameOf, scopeOf, shardIndex } from '../../src/store/shard-router'

const DAY = '2026-11-01'
let serial = 0
const keyOf = (pooled: boolean) => (shards = 1) => formatCounterKey(`mem_${Date.now().toString(36)}_${(serial++).toString(36)}`, shards, pooled)
const exposure = (unit: string, country: string, variant = 'A'): ExposureInput => ({ unit, variant, allocationVersion: 1, day: DAY, at: 1_764_547_200_000, segments: { country, device: 'mobile' } })
const shardStub = (experiment: string, unit: string) => env.COUNTERS.get(env.COUNTERS.idFromName(objectNameOf(experiment, unit)))
// The key prefix an experiment's rows carry in its counter object: its scope's number there, or none.
const prefixIn = (sql: SqlStorage, experiment: string) => {
  const scope = scopeOf(experiment)
  return scope ? `${sql.exec<{ id: number }>('SELECT id FROM scopes WHERE scope = ?', scope).one().id}/` : ''
}
// An experiment's admitted countries, read from its object's table (its own rows in a pooled one).
const admittedCountries = (experiment: string, unit: string) =>
  runInDurableObject(shardStub(experiment, unit), (_: CounterShard, state) =>
    state.storage.sql
      .exec<{ value: string }>('SELECT value FROM segment_values WHERE dim = ? ORDER BY value', `${prefixIn(state.storage.sql, experiment)}country`)
      .toArray()
      .map((r) => r.value),
  )

// Every case runs on an object of the experiment's own (created before pooling) and on a pooled
// object, which other experiments of this file share: what one experiment does must not show in another's.
describe.each([
  ['own', false],
  ['pooled', true],
])('the counter shard’s memory of its own storage (%s objects)', (_layout, pooled) => {
  const uniqueKey = keyOf(pooled)

  it.each([1, 8])('should record under an epoch raised on every shard after the shard had read an older one (%i shard(s))', async (shards) => {
    const store = new DurableObjectCounterStore(env.COUNTERS)
    const exp = uniqueKey(shards)
    // The first writes make every shard of the experiment read epoch 1 into memory.
    const early = Array.from({ length: 16 }, (_, i) => `early${i}`)
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: early.map((u) => exposure(u, 'DE')) }])
    expect(await store.advanceEpoch(exp, 3)).toBe(3)
    // A writer still carrying epoch 1 (another isolate's cached config) records in epoch 3.
    const late = Array.from({ length: 16 }, (_, i) => `late${i}`)
    const stale = new DurableObjectCounterStore(env.COUNTERS)
    expect(await stale.recordExposures([{ experiment: exp, epoch: 1, exposures: late.map((u) => exposure(u, 'DE')) }])).toEqual({ [exp]: late.length })
    for (const u of late) expect((await stale.getSticky([exp], u))[exp]?.epoch).toBe(3)
    const outcomes = await stale.recordEvents([{ experiment: exp, epoch: 1, metrics: [{ key: 'buy', type: 'binomial' }], events: late.map((u) => ({ id: `e-${u}`, unit: u, value: 1, day: DAY, metrics: ['buy'] })) }])
    expect(outcomes[exp]).toEqual(late.map(() => 'counted'))
    const counters = await store.getCounters(exp)
    expect(counters[field.exposures(1, 'A')]).toBe(early.length)
    expect(counters[field.exposures(3, 'A')]).toBe(late.length)
    expect(counters[field.converters(3, 'A', 'buy')]).toBe(late.length)
  })

  it('should forget the epoch and the segment values of a batch whose transaction rolled back', async () => {
    const exp = uniqueKey()
    const store = new DurableObjectCounterStore(env.COUNTERS)
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('first', 'C0')] }])
    // A batch that raises the epoch and admits a new value, then fails on its second exposure
    // (a BigInt allocation version, which the record's JSON cannot hold): nothing of it may remain.
    const broken = { ...exposure('bad', 'C1'), allocationVersion: 1n as unknown as number }
    await expect(
      runInDurableObject(shardStub(exp, 'x'), (shard: CounterShard) => shard.recordExposures([{ scope: scopeOf(exp), epoch: 5, exposures: [exposure('good', 'ROLLED'), broken] }])),
    ).rejects.toThrow(/BigInt/)
    expect(await store.getSticky([exp], 'good')).toEqual({})
    expect(await admittedCountries(exp, 'x')).toEqual(['C0'])
    // The epoch is still 1, and all the remaining places go to new values: the rolled-back one held none.
    const fill = Array.from({ length: MAX_SEGMENT_VALUES }, (_, i) => exposure(`u${i}`, `C${i + 1}`))
    expect(await store.recordExposures([{ experiment: exp, epoch: 1, exposures: fill }])).toEqual({ [exp]: fill.length })
    expect((await store.getSticky([exp], 'u0'))[exp]?.epoch).toBe(1)
    const counters = await store.getCounters(exp)
    const country = (v: string) => counters[`gx|1|country|${v}|A`] ?? 0
    expect(Array.from({ length: MAX_SEGMENT_VALUES }, (_, i) => country(`C${i}`))).toEqual(Array(MAX_SEGMENT_VALUES).fill(1))
    expect(country(OTHER)).toBe(1)
    expect(country('ROLLED')).toBe(0)
    expect((await admittedCountries(exp, 'x')).length).toBe(MAX_SEGMENT_VALUES)
  })

  it('should admit exactly the cap of values under concurrent writers of one exposure each', async () => {
    const exp = uniqueKey()
    const store = new DurableObjectCounterStore(env.COUNTERS)
    const writers = MAX_SEGMENT_VALUES + 30
    // A first write loads the shard's admitted values into memory; then every writer brings a new one.
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('warm', 'W')] }])
    const counts = await Promise.all(
      Array.from({ length: writers }, (_, i) => new DurableObjectCounterStore(env.COUNTERS).recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure(`w${i}`, `V${i}`)] }])),
    )
    expect(counts.reduce((n, c) => n + c[exp]!, 0)).toBe(writers)
    const counters = await store.getCounters(exp)
    const cells = Object.entries(counters).filter(([k]) => k.startsWith('gx|1|country|'))
    expect(cells.reduce((n, [, v]) => n + v, 0)).toBe(writers + 1)
    expect(cells.filter(([k]) => !k.includes(`|${OTHER}|`)).length).toBe(MAX_SEGMENT_VALUES)
    expect(counters[`gx|1|country|${OTHER}|A`]).toBe(writers + 1 - MAX_SEGMENT_VALUES)
    expect((await admittedCountries(exp, 'x')).length).toBe(MAX_SEGMENT_VALUES)
  })

  it('should write a batch with more rows than one statement takes, every unit and counter once', async () => {
    const exp = uniqueKey()
    const store = new DurableObjectCounterStore(env.COUNTERS)
    // 70 new units on 70 days and in 3 countries: 70 time rows, 140 segment rows, 82 counters.
    const units = Array.from({ length: 70 }, (_, i) => ({ ...exposure(`b${i}`, `K${i % 3}`, i % 2 ? 'B' : 'A'), day: `2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, at: 1_700_000_000_000 + i }))
    const repeated = units.slice(0, 5).map((u) => ({ ...u, variant: 'Z' }))
    expect(await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [...units, ...repeated] }])).toEqual({ [exp]: units.length })
    const counters = await store.getCounters(exp)
    for (const v of ['A', 'B', 'Z']) {
      const mine = units.filter((u) => u.variant === v)
      expect(counters[field.exposures(1, v)] ?? 0).toBe(mine.length)
      expect(counters[`gx|1|device|mobile|${v}`] ?? 0).toBe(mine.length)
      for (const k of ['K0', 'K1', 'K2']) expect(counters[`gx|1|country|${k}|${v}`] ?? 0).toBe(mine.filter((u) => u.segments!.country === k).length)
      for (const u of mine) expect(counters[field.exposuresByDay(1, u.day, v)]).toBe(1)
    }
    const times = await store.getExposureTimes(exp, units.map((u) => u.unit))
    expect(times).toEqual(Object.fromEntries(units.map((u) => [u.unit, u.at])))
    // One record per new unit, holding its segments as they counted (the repeated units changed nothing).
    const rows = await runInDurableObject(shardStub(exp, 'x'), (_: CounterShard, state) => {
      const key = prefixIn(state.storage.sql, exp)
      const stored = state.storage.sql.exec<{ unit: string; records: string }>('SELECT unit, records FROM unit_rows').toArray()
      return stored.flatMap((r) => {
        const record = (JSON.parse(r.records) as Record<string, unknown[]>)[key]
        return record ? [{ unit: r.unit, segments: record[4] }] : []
      })
    })
    expect(new Map(rows.map((r) => [r.unit, r.segments]))).toEqual(
      new Map(units.map((u) => [u.unit, [['country', u.segments!.country], ['device', 'mobile']]])),
    )
  })
})

describe('scope numbers in a pooled counter object', () => {
  it('should number each experiment once, keep no number from a rolled-back first write, and read each one\'s counters apart from its neighbours\' (1/ against 10/, 11/, 12/)', async () => {
    const store = new DurableObjectCounterStore(env.COUNTERS)
    // A fresh pool of its own (a shard count no other test uses), so the numbers start at 1.
    const keys = Array.from({ length: 13 }, (_, i) => formatCounterKey(`num_${Date.now().toString(36)}_${i}:i`, 47, true))
    const unitOn = (shard: number, tag: string) => {
      for (let i = 0; ; i++) if (shardIndex(`${tag}-${i}`, 47) === shard) return `${tag}-${i}`
    }
    // The first experiment's first write fails: it must leave no number behind.
    const broken = { ...exposure(unitOn(0, 'bad'), 'DE'), allocationVersion: 1n as unknown as number }
    await expect(runInDurableObject(shardStub(keys[0]!, unitOn(0, 'bad')), (shard: CounterShard) => shard.recordExposures([{ scope: scopeOf(keys[0]!), epoch: 1, exposures: [broken] }]))).rejects.toThrow(/BigInt/)
    for (const [i, key] of keys.entries()) {
      const units = Array.from({ length: i + 1 }, (_, k) => unitOn(0, `n${i}-${k}`))
      expect(await store.recordExposures([{ experiment: key, epoch: 1, exposures: units.map((u) => exposure(u, 'DE')) }])).toEqual({ [key]: i + 1 })
    }
    const numbers = await runInDurableObject(shardStub(keys[0]!, unitOn(0, 'x')), (_: CounterShard, state) =>
      keys.map((key) => state.storage.sql.exec<{ id: number }>('SELECT id FROM scopes WHERE scope = ?', scopeOf(key)).one().id),
    )
    expect(numbers).toEqual(keys.map((_, i) => i + 1))
    for (const [i, key] of keys.entries()) expect((await store.getCounters(key))[field.exposures(1, 'A')]).toBe(i + 1)
  })
})

describe('a counter object written before the sticky row held times and segments', () => {
  it('should keep reading its units\' times and segments from the older tables and write new units in one row', async () => {
    const exp = keyOf(false)()
    const store = new DurableObjectCounterStore(env.COUNTERS)
    const stub = shardStub(exp, 'x')
    // The object as the previous version left it: a sticky table without the two columns, one
    // unit with its time and segments in the tables of that time.
    await runInDurableObject(stub, (_: CounterShard, state) => {
      const sql = state.storage.sql
      sql.exec('DROP TABLE sticky')
      sql.exec('CREATE TABLE sticky (unit TEXT PRIMARY KEY, variant TEXT NOT NULL, epoch INTEGER NOT NULL, allocation_version INTEGER NOT NULL) WITHOUT ROWID')
      sql.exec("INSERT INTO sticky VALUES ('old', 'A', 1, 1)")
      sql.exec("INSERT INTO exposure_times VALUES ('old', 1700000000000)")
      sql.exec("INSERT INTO unit_segments VALUES ('old', 'country', 'FR'), ('old', 'device', 'mobile')")
      sql.exec("INSERT INTO counters VALUES ('x|1|A', 1), ('gx|1|country|FR|A', 1), ('gx|1|device|mobile|A', 1)")
    })
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('new', 'DE')] }])
    expect(await store.getExposureTimes(exp, ['old', 'new', 'none'])).toEqual({ old: 1_700_000_000_000, new: 1_764_547_200_000 })
    const buy = (unit: string) => ({ id: `buy-${unit}`, unit, value: 1, day: DAY, metrics: ['buy'] })
    const outcomes = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [{ key: 'buy', type: 'binomial' }], events: [buy('old'), buy('new')] }])
    expect(outcomes[exp]).toEqual(['counted', 'counted'])
    const counters = await store.getCounters(exp)
    expect(counters[field.exposures(1, 'A')]).toBe(2)
    expect(counters[field.converters(1, 'A', 'buy')]).toBe(2)
    // Each unit's conversion counts in the segments it was first exposed in, old row or new.
    const converters = (dim: string, value: string) => counters[segmentField(field.converters(1, 'A', 'buy'), dim, value)!]
    expect([converters('country', 'FR'), converters('country', 'DE'), converters('device', 'mobile')]).toEqual([1, 1, 2])
  })
})
