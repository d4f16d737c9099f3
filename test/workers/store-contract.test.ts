// One contract, two counter stores: the Durable Object store (real SQLite Durable Objects in
// workerd) and the Upstash store (real Redis behind tools/upstash/server.mjs, from global setup).
// Every expected number is computed here from the inputs.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { StoreUnavailableError } from '../../src/core/errors'
import { type CounterStore, type EventInput, type ExposureInput, ID_TTL_MS, type MetricSpec } from '../../src/store/counter-store'
import { field } from '../../src/core/counters'
import { formatCounterKey } from '../../src/core/counter-key'
import { shardOf } from '../../src/store/shard-router'
import { DurableObjectCounterStore } from '../../src/store/durable-object/durable-object-store'
import { UpstashCounterStore } from '../../src/store/upstash/upstash-store'

const testEnv = env as typeof env & { TEST_UPSTASH_URL: string; TEST_UPSTASH_TOKEN: string }

type Clock = () => number
const STORES: { name: string; make: (now?: Clock) => CounterStore }[] = [
  { name: 'durable-object', make: (now) => new DurableObjectCounterStore(testEnv.COUNTERS, { now }) },
  { name: 'upstash', make: (now) => new UpstashCounterStore({ url: testEnv.TEST_UPSTASH_URL, token: testEnv.TEST_UPSTASH_TOKEN, now }) },
]

const D1 = '2026-11-01'
const D2 = '2026-11-02'
const BUY: MetricSpec = { key: 'buy', type: 'binomial' }
const REV: MetricSpec = { key: 'rev', type: 'mean' }

let serial = 0
/** An experiment key no other test (or earlier run against the same Redis) uses. */
const baseKey = (store: string) => `c_${store}_${Date.now().toString(36)}_${(serial++).toString(36)}`

const exposure = (unit: string, variant: string, day = D1, allocationVersion = 1): ExposureInput => ({ unit, variant, allocationVersion, day })
const event = (id: string, unit: string, metrics: string[], value = 1, day = D1): EventInput => ({ id, unit, value, day, metrics })

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failure replays exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Σx and Σx² of per-unit totals (capped), plus how many units had any event. */
function meanStats(events: readonly EventInput[], cap?: number): { converters: number; sum: number; sumSq: number } {
  const totals = new Map<string, number>()
  for (const e of events) totals.set(e.unit, (totals.get(e.unit) ?? 0) + e.value)
  let sum = 0
  let sumSq = 0
  for (const total of totals.values()) {
    const x = cap === undefined ? total : Math.min(total, cap)
    sum += x
    sumSq += x * x
  }
  return { converters: totals.size, sum, sumSq }
}

// Every contract holds with one shard (the layout before sharding) and with eight, each in objects
// of the experiment's own and pooled (shared by all the experiments of this file with that count).
const LAYOUTS = STORES.flatMap((s) => [1, 8].flatMap((shards) => [false, true].map((pooled) => ({ ...s, shards, pooled, layout: pooled ? 'pooled' : 'own' }))))

describe.each(LAYOUTS)('$name counter store with $shards shard(s), $layout objects', ({ name, make, shards, pooled }) => {
  const store = make()
  const uniqueKey = (store: string) => formatCounterKey(baseKey(store), shards, pooled)

  it('should count exactly under 50 concurrent writers of 200 events each, and concurrent exposures once', async () => {
    const exp = uniqueKey(name)
    const rand = random(42)
    const units = Array.from({ length: 400 }, (_, i) => `u${i}`)
    const variantOf = (u: string) => (Number(u.slice(1)) % 3 === 0 ? 'B' : 'A')
    const writers = 50

    // Every unit is exposed by three different writers at once; each must count once.
    const exposed = await Promise.all(
      Array.from({ length: writers }, (_, w) => {
        const mine = units.filter((_, i) => [w, (w + 1) % writers, (w + 2) % writers].includes(i % writers))
        return store.recordExposures([{ experiment: exp, epoch: 1, exposures: mine.map((u) => exposure(u, variantOf(u))) }])
      }),
    )
    expect(exposed.reduce((n, r) => n + (r[exp] ?? 0), 0)).toBe(units.length)

    const perWriter = Array.from({ length: writers }, (_, w) =>
      Array.from({ length: 200 }, (_, i) => {
        const unit = units[Math.floor(rand() * units.length)] as string
        return event(`w${w}-e${i}`, unit, rand() < 0.5 ? ['buy', 'rev'] : ['rev'], Math.floor(rand() * 20) / 2, rand() < 0.5 ? D1 : D2)
      }),
    )
    const outcomes = await Promise.all(
      perWriter.map(async (events) => {
        const out = []
        for (let i = 0; i < events.length; i += 10) {
          const r = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY, REV], events: events.slice(i, i + 10) }])
          out.push(...(r[exp] ?? []))
        }
        return out
      }),
    )
    expect(outcomes.flat().filter((o) => o === 'counted').length).toBe(writers * 200)

    const counters = await store.getCounters(exp)
    const all = perWriter.flat()
    for (const variant of ['A', 'B']) {
      expect(counters[field.exposures(1, variant)]).toBe(units.filter((u) => variantOf(u) === variant).length)
      const mine = all.filter((e) => variantOf(e.unit) === variant)
      const rev = meanStats(mine)
      expect(counters[field.converters(1, variant, 'rev')]).toBe(rev.converters)
      expect(counters[field.sum(1, variant, 'rev')]).toBe(rev.sum)
      expect(counters[field.sumSq(1, variant, 'rev')]).toBe(rev.sumSq)
      expect(counters[field.converters(1, variant, 'buy')]).toBe(new Set(mine.filter((e) => e.metrics.includes('buy')).map((e) => e.unit)).size)
    }
  }, 60_000)

  it('should count each new unit of a long exposure batch once, by its first row, units named twice and exposed before included', async () => {
    const exp = uniqueKey(name)
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('old1', 'A'), exposure('old2', 'B')] }])
    // 61 rows: more than one SQL statement's worth; u7 and u30 come back later with the other variant.
    const rows = [
      ...Array.from({ length: 55 }, (_, i) => exposure(`u${i}`, i % 2 ? 'B' : 'A')),
      exposure('u7', 'A'),
      exposure('old1', 'B'),
      exposure('u30', 'B'),
      exposure('old2', 'A'),
      exposure('u7', 'A'),
      exposure('u55', 'B'),
    ]
    const firstRows = new Map<string, ExposureInput>()
    for (const x of rows) if (!firstRows.has(x.unit) && !x.unit.startsWith('old')) firstRows.set(x.unit, x)
    const counted = await store.recordExposures([{ experiment: exp, epoch: 1, exposures: rows }])
    expect(counted[exp]).toBe(firstRows.size)
    const counters = await store.getCounters(exp)
    for (const variant of ['A', 'B']) {
      const fresh = [...firstRows.values()].filter((x) => x.variant === variant).length
      expect(counters[field.exposures(1, variant)]).toBe(fresh + 1)
    }
    const sticky = await store.getSticky([exp], 'u7')
    expect(sticky[exp]?.variant).toBe('B')
    expect((await store.getSticky([exp], 'old1'))[exp]?.variant).toBe('A')
  })

  it('should count a duplicate event id once, inside one batch and across batches', async () => {
    const exp = uniqueKey(name)
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'A'), exposure('u2', 'A')] }])
    const events = [event('e1', 'u1', ['rev'], 2), event('e1', 'u1', ['rev'], 2), event('e2', 'u2', ['rev'], 3)]
    const first = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [REV], events }])
    expect(first[exp]).toEqual(['counted', 'duplicate', 'counted'])
    const again = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [REV], events: [events[2] as EventInput, event('e3', 'u1', ['rev'], 4)] }])
    expect(again[exp]).toEqual(['duplicate', 'counted'])

    const counted = [events[0], events[2], event('e3', 'u1', ['rev'], 4)] as EventInput[]
    const counters = await store.getCounters(exp)
    expect(counters[field.sum(1, 'A', 'rev')]).toBe(meanStats(counted).sum)
    expect(counters[field.sumSq(1, 'A', 'rev')]).toBe(meanStats(counted).sumSq)
  })

  it('should forget event ids after ID_TTL_MS', async () => {
    const exp = uniqueKey(name)
    let now = Date.UTC(2026, 10, 1)
    const clocked = make(() => now)
    await clocked.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'A')] }])
    const send = async () => (await clocked.recordEvents([{ experiment: exp, epoch: 1, metrics: [REV], events: [event('e1', 'u1', ['rev'], 1)] }]))[exp]
    expect(await send()).toEqual(['counted'])
    now += ID_TTL_MS - 1
    expect(await send()).toEqual(['duplicate'])
    now += ID_TTL_MS + 1
    expect(await send()).toEqual(['counted'])
    expect((await clocked.getCounters(exp))[field.sum(1, 'A', 'rev')]).toBe(2)
  })

  it('should count a unit in the epoch it was first exposed in, and only there', async () => {
    const exp = uniqueKey(name)
    const old = ['old1', 'old2']
    expect((await store.recordExposures([{ experiment: exp, epoch: 1, exposures: old.map((u) => exposure(u, 'A')) }]))[exp]).toBe(old.length)

    // After a restart (epoch 2) old units are neither re-counted nor have their events counted.
    const fresh = ['new1']
    const second = await store.recordExposures([{ experiment: exp, epoch: 2, exposures: [...old, ...fresh].map((u) => exposure(u, 'B')) }])
    expect(second[exp]).toBe(fresh.length)
    const events = [event('e-old', 'old1', ['buy', 'rev'], 5), event('e-new', 'new1', ['buy', 'rev'], 3)]
    const outcomes = await store.recordEvents([{ experiment: exp, epoch: 2, metrics: [BUY, REV], events }])
    expect(outcomes[exp]).toEqual(['earlier_epoch', 'counted'])

    const counters = await store.getCounters(exp)
    expect(counters[field.exposures(1, 'A')]).toBe(old.length)
    expect(counters[field.exposures(2, 'B')]).toBe(fresh.length)
    expect(counters[field.exposures(2, 'A')]).toBeUndefined()
    expect(counters[field.converters(2, 'B', 'buy')]).toBe(1)
    expect(counters[field.sum(2, 'B', 'rev')]).toBe(events[1]?.value)
    expect(counters[field.converters(1, 'A', 'buy')]).toBeUndefined()
    expect(counters[field.converters(2, 'A', 'buy')]).toBeUndefined()
    expect(await store.getSticky([exp], 'old1')).toEqual({ [exp]: { variant: 'A', epoch: 1, allocationVersion: 1 } })
    expect(await store.getSticky([exp], 'new1')).toEqual({ [exp]: { variant: 'B', epoch: 2, allocationVersion: 1 } })
  })

  // Two isolates' worth of config snapshots: one learned of the restart (epoch 2), one still
  // caches epoch 1 for up to 30 s. A unit first exposed after the restart counts in epoch 2.
  it('should count exposures and events sent with an older epoch under the newest epoch it was told of', async () => {
    const exp = uniqueKey(name)
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('old', 'A')] }])
    await store.advanceEpoch(exp, 2)

    const stale = await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('late', 'B'), exposure('old', 'A')] }])
    expect(stale[exp]).toBe(1)
    expect(await store.getSticky([exp, exp], 'late')).toEqual({ [exp]: { variant: 'B', epoch: 2, allocationVersion: 1 } })
    const outcomes = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY], events: [event('e1', 'late', ['buy']), event('e2', 'old', ['buy'])] }])
    expect(outcomes[exp]).toEqual(['counted', 'earlier_epoch'])

    expect(await store.getCounters(exp)).toEqual({
      [field.exposures(1, 'A')]: 1,
      [field.exposuresByAllocation(1, 1, 'A')]: 1,
      [field.exposuresByDay(1, D1, 'A')]: 1,
      [field.exposures(2, 'B')]: 1,
      [field.exposuresByAllocation(2, 1, 'B')]: 1,
      [field.exposuresByDay(2, D1, 'B')]: 1,
      [field.converters(2, 'B', 'buy')]: 1,
      [field.convertersByDay(2, D1, 'B', 'buy')]: 1,
    })
  })

  it('should learn a newer epoch from the first write that carries it, for exposures and for events', async () => {
    const [byExposure, byEvent] = [uniqueKey(name), uniqueKey(name)]
    await store.recordExposures([{ experiment: byExposure, epoch: 2, exposures: [exposure('fresh', 'A')] }])
    await store.recordExposures([{ experiment: byExposure, epoch: 1, exposures: [exposure('late', 'A')] }])
    expect(await store.getSticky([byExposure], 'late')).toEqual({ [byExposure]: { variant: 'A', epoch: 2, allocationVersion: 1 } })

    await store.recordExposures([{ experiment: byEvent, epoch: 1, exposures: [exposure('old', 'A')] }])
    // An event batch from an isolate that already has epoch 2 tells the store of the restart.
    expect((await store.recordEvents([{ experiment: byEvent, epoch: 2, metrics: [BUY], events: [event('e1', 'old', ['buy'])] }]))[byEvent]).toEqual(['earlier_epoch'])
    await store.recordExposures([{ experiment: byEvent, epoch: 1, exposures: [exposure('late', 'B')] }])
    expect(await store.getSticky([byEvent], 'late')).toEqual({ [byEvent]: { variant: 'B', epoch: 2, allocationVersion: 1 } })
  })

  it('should never move its epoch back, and keep experiments apart', async () => {
    const [exp, other] = [uniqueKey(name), uniqueKey(name)]
    await store.advanceEpoch(exp, 3)
    await store.advanceEpoch(exp, 2)
    const counts = await store.recordExposures([
      { experiment: exp, epoch: 2, exposures: [exposure('u1', 'A')] },
      { experiment: other, epoch: 1, exposures: [exposure('u1', 'A')] },
    ])
    expect(counts).toEqual({ [exp]: 1, [other]: 1 })
    expect(await store.getSticky([exp, other], 'u1')).toEqual({
      [exp]: { variant: 'A', epoch: 3, allocationVersion: 1 },
      [other]: { variant: 'A', epoch: 1, allocationVersion: 1 },
    })
  })

  it('should keep the first variant as the sticky record', async () => {
    const exp = uniqueKey(name)
    const first = await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'A', D1, 3), exposure('u1', 'B', D1, 4)] }])
    expect(first[exp]).toBe(1)
    const later = await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'B', D2, 5)] }])
    expect(later[exp]).toBe(0)
    expect(await store.getSticky([exp], 'u1')).toEqual({ [exp]: { variant: 'A', epoch: 1, allocationVersion: 3 } })

    // Events go to the sticky variant, whatever was exposed later.
    await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY], events: [event('e1', 'u1', ['buy'])] }])
    const counters = await store.getCounters(exp)
    expect(counters).toEqual({
      [field.exposures(1, 'A')]: 1,
      [field.exposuresByAllocation(1, 3, 'A')]: 1,
      [field.exposuresByDay(1, D1, 'A')]: 1,
      [field.converters(1, 'A', 'buy')]: 1,
      [field.convertersByDay(1, D1, 'A', 'buy')]: 1,
    })
  })

  it('should read sticky records of several experiments at once, omitting missing ones', async () => {
    const [e1, e2, e3] = [uniqueKey(name), uniqueKey(name), uniqueKey(name)]
    const counts = await store.recordExposures([
      { experiment: e1, epoch: 1, exposures: [exposure('u1', 'A', D1, 2)] },
      { experiment: e2, epoch: 3, exposures: [exposure('u1', 'B', D1, 7)] },
    ])
    expect(counts).toEqual({ [e1]: 1, [e2]: 1 })
    expect(await store.getSticky([e1, e2, e3], 'u1')).toEqual({
      [e1]: { variant: 'A', epoch: 1, allocationVersion: 2 },
      [e2]: { variant: 'B', epoch: 3, allocationVersion: 7 },
    })
    expect(await store.getSticky([e1, e2], 'nobody')).toEqual({})
    expect(await store.getSticky([], 'u1')).toEqual({})
  })

  it('should refuse events of units never exposed without consuming their ids', async () => {
    const exp = uniqueKey(name)
    const e = event('e1', 'u1', ['buy'])
    expect((await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY], events: [e] }]))[exp]).toEqual(['not_exposed'])
    expect(await store.getCounters(exp)).toEqual({})
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'B')] }])
    expect((await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY], events: [e] }]))[exp]).toEqual(['counted'])
    expect((await store.getCounters(exp))[field.converters(1, 'B', 'buy')]).toBe(1)
  })

  it('should convert a unit once on a binomial metric, on the day of its first event', async () => {
    const exp = uniqueKey(name)
    const units = ['u1', 'u2', 'u3']
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: units.map((u) => exposure(u, 'A')) }])
    const events = [event('a', 'u1', ['buy'], 1, D1), event('b', 'u1', ['buy'], 1, D2), event('c', 'u2', ['buy'], 1, D2), event('d', 'u1', ['buy'], 1, D2)]
    await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY], events: events.slice(0, 2) }])
    await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY], events: events.slice(2) }])

    const firstDay = new Map<string, string>()
    for (const e of events) if (!firstDay.has(e.unit)) firstDay.set(e.unit, e.day)
    const counters = await store.getCounters(exp)
    expect(counters[field.converters(1, 'A', 'buy')]).toBe(firstDay.size)
    for (const day of [D1, D2]) {
      expect(counters[field.convertersByDay(1, day, 'A', 'buy')]).toBe([...firstDay.values()].filter((d) => d === day).length)
    }
    expect(counters[field.sum(1, 'A', 'buy')]).toBeUndefined()
  })

  it('should keep mean sums and sums of squares exact, winsorized at the cap, in total and per day', async () => {
    const exp = uniqueKey(name)
    const cap = 10
    const capped: MetricSpec = { key: 'rev', type: 'mean', cap }
    const units = ['u1', 'u2', 'u3', 'u4']
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: units.map((u) => exposure(u, 'A')) }])
    // u1 crosses the cap on day 2; u2 is over it in one event; u3 stays under; u4 goes negative.
    const events = [
      event('1', 'u1', ['rev'], 3.5, D1),
      event('2', 'u1', ['rev'], 4, D1),
      event('3', 'u1', ['rev'], 8.5, D2),
      event('4', 'u2', ['rev'], 12.5, D1),
      event('5', 'u3', ['rev'], 0.5, D2),
      event('6', 'u3', ['rev'], 2, D2),
      event('7', 'u4', ['rev'], -1.5, D1),
      event('8', 'u1', ['rev'], 1, D2),
    ]
    const outcomes = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [capped], events }])
    expect(outcomes[exp]).toEqual(events.map(() => 'counted'))

    const counters = await store.getCounters(exp)
    const expected = meanStats(events, cap)
    expect(counters[field.converters(1, 'A', 'rev')]).toBe(expected.converters)
    expect(counters[field.sum(1, 'A', 'rev')]).toBe(expected.sum)
    expect(counters[field.sumSq(1, 'A', 'rev')]).toBe(expected.sumSq)

    // Per day: cumulative through a day equals the totals of the events up to that day.
    const upTo = (day: string) => meanStats(events.filter((e) => e.day <= day), cap)
    const d1 = upTo(D1)
    const d2 = upTo(D2)
    expect(counters[field.sumByDay(1, D1, 'A', 'rev')]).toBe(d1.sum)
    expect(counters[field.sumSqByDay(1, D1, 'A', 'rev')]).toBe(d1.sumSq)
    expect(counters[field.sumByDay(1, D2, 'A', 'rev')]).toBe(d2.sum - d1.sum)
    expect(counters[field.sumSqByDay(1, D2, 'A', 'rev')]).toBe(d2.sumSq - d1.sumSq)
    expect(counters[field.convertersByDay(1, D1, 'A', 'rev')]).toBe(d1.converters)
    expect(counters[field.convertersByDay(1, D2, 'A', 'rev')]).toBe(d2.converters - d1.converters)
  })

  it('should keep all 17 digits of a double', async () => {
    const exp = uniqueKey(name)
    const value = 1 / 3
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'A')] }])
    await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [REV], events: [event('e1', 'u1', ['rev'], value)] }])
    const counters = await store.getCounters(exp)
    expect(counters[field.sum(1, 'A', 'rev')]).toBe(value)
    expect(counters[field.sumSq(1, 'A', 'rev')]).toBe(value * value)
  })

  it('should refuse as invalid_value an event whose square overflows, changing nothing and keeping its id free', async () => {
    const exp = uniqueKey(name)
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'A'), exposure('u2', 'A')] }])
    // (1e200)² overflows to Infinity; the binomial metric in the same event must not count either.
    const huge = event('e-huge', 'u1', ['buy', 'rev'], 1e200)
    const outcomes = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY, REV], events: [huge, event('e-ok', 'u2', ['rev'], 2)] }])
    expect(outcomes[exp]).toEqual(['invalid_value', 'counted'])
    expect(await store.getCounters(exp)).toEqual({
      [field.exposures(1, 'A')]: 2,
      [field.exposuresByAllocation(1, 1, 'A')]: 2,
      [field.exposuresByDay(1, D1, 'A')]: 2,
      [field.converters(1, 'A', 'rev')]: 1,
      [field.convertersByDay(1, D1, 'A', 'rev')]: 1,
      [field.sum(1, 'A', 'rev')]: 2,
      [field.sumByDay(1, D1, 'A', 'rev')]: 2,
      [field.sumSq(1, 'A', 'rev')]: 4,
      [field.sumSqByDay(1, D1, 'A', 'rev')]: 4,
    })

    // The refused id was not consumed, and the unit's total was not touched: a sane retry counts exactly.
    const retry = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY, REV], events: [event('e-huge', 'u1', ['buy', 'rev'], 3), event('e-next', 'u1', ['rev'], 1)] }])
    expect(retry[exp]).toEqual(['counted', 'counted'])
    const counters = await store.getCounters(exp)
    expect(counters[field.converters(1, 'A', 'buy')]).toBe(1)
    expect(counters[field.sum(1, 'A', 'rev')]).toBe(2 + 4)
    expect(counters[field.sumSq(1, 'A', 'rev')]).toBe(4 + 16)
  })

  it('should refuse as invalid_value an event that would overflow a counter summed over units', async () => {
    const exp = uniqueKey(name)
    // The guard is per shard (a shard's counters are what it can check), so the units share one;
    // across shards the sums stay finite because ingestion bounds |value| by 1e12.
    const [u1, u2, u3] = Array.from({ length: 400 }, (_, i) => `u${i}`).filter((u) => shardOf(exp, u) === shardOf(exp, 'u1')) as [string, string, string]
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure(u1, 'A'), exposure(u2, 'A'), exposure(u3, 'A')] }])
    // Each square is finite (1.44e308); two of them summed are not.
    const big = 1.2e154
    const outcomes = await store.recordEvents([
      { experiment: exp, epoch: 1, metrics: [REV], events: [event('e1', u1, ['rev'], big), event('e2', u2, ['rev'], big), event('e3', u3, ['rev'], 1)] },
    ])
    expect(outcomes[exp]).toEqual(['counted', 'invalid_value', 'counted'])
    const counters = await store.getCounters(exp)
    expect(counters[field.converters(1, 'A', 'rev')]).toBe(2)
    expect(counters[field.sum(1, 'A', 'rev')]).toBe(big + 1)
    expect(counters[field.sumSq(1, 'A', 'rev')]).toBe(big * big + 1)
    expect(counters[field.sumSqByDay(1, D1, 'A', 'rev')]).toBe(big * big + 1)
    expect(Object.values(counters).every(Number.isFinite)).toBe(true)
  })

  it('should refuse as invalid_value an event that would make a unit total non-finite, even under a cap', async () => {
    const exp = uniqueKey(name)
    const capped: MetricSpec = { key: 'rev', type: 'mean', cap: 10 }
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [exposure('u1', 'A')] }])
    const outcomes = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [capped], events: [event('e1', 'u1', ['rev'], 1e308), event('e2', 'u1', ['rev'], 1e308)] }])
    expect(outcomes[exp]).toEqual(['counted', 'invalid_value'])
    // The total stayed at 1e308, so a large negative value brings it back under the cap exactly.
    const back = await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [capped], events: [event('e3', 'u1', ['rev'], -1e308)] }])
    expect(back[exp]).toEqual(['counted'])
    const counters = await store.getCounters(exp)
    expect(counters[field.sum(1, 'A', 'rev')]).toBe(0)
    expect(counters[field.sumSq(1, 'A', 'rev')]).toBe(0)
  })

  it('should count exposures per day of first exposure and per allocation version', async () => {
    const exp = uniqueKey(name)
    const exposures = [exposure('u1', 'A', D1, 1), exposure('u2', 'B', D1, 1), exposure('u3', 'A', D2, 2), exposure('u1', 'A', D2, 2)]
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: exposures.slice(0, 2) }])
    await store.recordExposures([{ experiment: exp, epoch: 1, exposures: exposures.slice(2) }])

    const first = new Map<string, ExposureInput>()
    for (const x of exposures) if (!first.has(x.unit)) first.set(x.unit, x)
    const expected: Record<string, number> = {}
    const bump = (name: string) => (expected[name] = (expected[name] ?? 0) + 1)
    for (const x of first.values()) {
      bump(field.exposures(1, x.variant))
      bump(field.exposuresByAllocation(1, x.allocationVersion, x.variant))
      bump(field.exposuresByDay(1, x.day, x.variant))
    }
    expect(await store.getCounters(exp)).toEqual(expected)
  })

  it('should record a batch spanning two experiments, each in its own counters', async () => {
    const [e1, e2] = [uniqueKey(name), uniqueKey(name)]
    const counts = await store.recordExposures([
      { experiment: e1, epoch: 1, exposures: [exposure('u1', 'A'), exposure('u2', 'B')] },
      { experiment: e2, epoch: 2, exposures: [exposure('u1', 'B')] },
    ])
    expect(counts).toEqual({ [e1]: 2, [e2]: 1 })

    // One event id may count in several experiments: ids are remembered per experiment.
    const shared = event('e1', 'u1', ['buy', 'rev'], 2.5)
    const outcomes = await store.recordEvents([
      { experiment: e1, epoch: 1, metrics: [BUY, REV], events: [shared, event('e2', 'u2', ['rev'], 1.5)] },
      { experiment: e2, epoch: 2, metrics: [REV], events: [event('e1', 'u1', ['rev'], 2.5), event('e3', 'u2', ['rev'], 1)] },
    ])
    expect(outcomes).toEqual({ [e1]: ['counted', 'counted'], [e2]: ['counted', 'not_exposed'] })

    const c1 = await store.getCounters(e1)
    const c2 = await store.getCounters(e2)
    expect(c1[field.converters(1, 'A', 'buy')]).toBe(1)
    expect(c1[field.sum(1, 'A', 'rev')]).toBe(shared.value)
    expect(c1[field.sum(1, 'B', 'rev')]).toBe(1.5)
    expect(c2[field.exposures(2, 'B')]).toBe(1)
    expect(c2[field.sum(2, 'B', 'rev')]).toBe(shared.value)
    expect(Object.keys(c2).some((k) => k.includes('|A'))).toBe(false)
  })

  it('should merge several batches of one experiment in one call, in order', async () => {
    const exp = uniqueKey(name)
    const counts = await store.recordExposures([
      { experiment: exp, epoch: 1, exposures: [exposure('u1', 'A')] },
      { experiment: exp, epoch: 1, exposures: [exposure('u1', 'B'), exposure('u2', 'B')] },
    ])
    expect(counts).toEqual({ [exp]: 2 })
    const outcomes = await store.recordEvents([
      { experiment: exp, epoch: 1, metrics: [BUY], events: [event('e1', 'u1', ['buy'])] },
      // Ids are remembered on their unit's shard: with one shard an id is a duplicate for any unit.
      { experiment: exp, epoch: 1, metrics: [BUY], events: [event('e1', shards === 1 ? 'u2' : 'u1', ['buy']), event('e2', 'u3', ['buy'])] },
    ])
    expect(outcomes).toEqual({ [exp]: ['counted', 'duplicate', 'not_exposed'] })
  })

  it('should answer empty batches without counting and an unknown experiment with no counters', async () => {
    const exp = uniqueKey(name)
    expect(await store.recordExposures([{ experiment: exp, epoch: 1, exposures: [] }])).toEqual({ [exp]: 0 })
    expect(await store.recordEvents([{ experiment: exp, epoch: 1, metrics: [], events: [] }])).toEqual({ [exp]: [] })
    expect(await store.getCounters(exp)).toEqual({})
  })

  it('should reject an event naming a metric the batch does not define', async () => {
    const exp = uniqueKey(name)
    await expect(store.recordEvents([{ experiment: exp, epoch: 1, metrics: [BUY], events: [event('e1', 'u1', ['rev'])] }])).rejects.toThrow(/metric "rev"/)
  })
})

describe('upstash counter store failures', () => {
  // workerd logs the refused connection ("Network connection lost") even though it is handled.
  it('should fail fast with StoreUnavailableError when Upstash is unreachable', async () => {
    const down = new UpstashCounterStore({ url: 'http://127.0.0.1:1', token: 'x' })
    const started = Date.now()
    await expect(down.recordExposures([{ experiment: 'any', epoch: 1, exposures: [exposure('u1', 'A')] }])).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('should fail with StoreUnavailableError when Upstash refuses the token', async () => {
    const refused = new UpstashCounterStore({ url: testEnv.TEST_UPSTASH_URL, token: 'wrong-token' })
    await expect(refused.getSticky(['any'], 'u1')).rejects.toBeInstanceOf(StoreUnavailableError)
  })
})
