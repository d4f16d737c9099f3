import { describe, expect, it } from 'vitest'
import { compileExperiment } from '../../../src/core/compile'
import { counterLayout, formatCounterKey } from '../../../src/core/counter-key'
import { createExperiment } from '../../../src/core/edit'
import { DEFAULT_SHARDS, ExperimentCreateSchema, ExperimentSchema, MAX_SHARDS, shardsForTraffic, VIEWS_PER_SHARD } from '../../../src/core/experiment'
import { allObjects, allShards, EpochSpreader, objectOf, routeBatches, shardIndex, shardOf, sumCounters } from '../../../src/store/shard-router'
import { draftExperiment } from '../../shared/experiments'

describe('the shard router', () => {
  it('should keep the layout before sharding for one shard: the counter key is its only shard', () => {
    expect(formatCounterKey('moon_mars:1b4e', 1)).toBe('moon_mars:1b4e')
    expect(counterLayout('moon_mars:1b4e')).toEqual({ base: 'moon_mars:1b4e', shards: 1, pooled: false })
    expect(allShards('moon_mars:1b4e')).toEqual(['moon_mars:1b4e'])
    expect(shardOf('moon_mars:1b4e', 'any-unit')).toBe('moon_mars:1b4e')
    expect(objectOf('moon_mars:1b4e', 'any-unit')).toEqual({ name: 'moon_mars:1b4e', scope: '' })
    // A document stored before sharding (no `shards`, no pooled counters) counts where it always did.
    const { shards: _, counters: _pooled, ...legacy } = draftExperiment({ key: 'legacy' })
    expect(compileExperiment(ExperimentSchema.parse(legacy)).counterKey).toBe(`legacy:${legacy.id}`)
  })

  it('should name N shards <base>:<i> and parse the shard count back from the counter key', () => {
    const key = formatCounterKey('exp:abc', 8)
    expect(key).toBe('exp:abc/8')
    expect(counterLayout(key)).toEqual({ base: 'exp:abc', shards: 8, pooled: false })
    expect(allShards(key)).toEqual(Array.from({ length: 8 }, (_, i) => `exp:abc:${i}`))
    expect(shardOf(key, 'u1')).toBe(`exp:abc:${shardIndex('u1', 8)}`)
    // Unpooled shards are Durable Objects of their own, with the empty scope.
    expect(allObjects(key)).toEqual(allShards(key).map((name) => ({ name, scope: '' })))
  })

  it('should keep a pooled experiment\'s shard i in the object pool/<N>/<i> shared by every pooled experiment with N shards, under its own scope', () => {
    const [a, b] = [formatCounterKey('exp:a', 4, true), formatCounterKey('exp:b', 4, true)]
    expect(a).toBe('exp:a/4p')
    expect(counterLayout(a)).toEqual({ base: 'exp:a', shards: 4, pooled: true })
    expect(counterLayout(formatCounterKey('exp:c', 1, true))).toEqual({ base: 'exp:c', shards: 1, pooled: true })
    expect(objectOf(a, 'u1')).toEqual({ name: `pool/4/${shardIndex('u1', 4)}`, scope: 'exp:a/' })
    expect(objectOf(b, 'u1')).toEqual({ name: `pool/4/${shardIndex('u1', 4)}`, scope: 'exp:b/' })
    expect(allObjects(a).map((o) => o.name)).toEqual(['pool/4/0', 'pool/4/1', 'pool/4/2', 'pool/4/3'])
    expect(new Set(allObjects(b).map((o) => o.scope))).toEqual(new Set(['exp:b/']))
    // Redis keys do not depend on pooling: the same shard names as an unpooled key's.
    expect(allShards(a)).toEqual(allShards('exp:a/4'))
    // Malformed suffixes are one unpooled shard, as before.
    for (const odd of ['exp:a/p', 'exp:a/4pp', 'exp:a/0p', 'exp:a/-4p']) expect(counterLayout(odd)).toEqual({ base: odd, shards: 1, pooled: false })
  })

  it('should give new experiments pooled counters and keep a document stored before pooling in objects of its own', () => {
    const input = ExperimentCreateSchema.parse({ key: 'k', title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    const created = createExperiment(input, new Date())
    expect(created.counters).toBe('pooled')
    expect(compileExperiment(created).counterKey).toBe(`k:${created.id}/4p`)
    const { counters: _, ...before } = created
    expect(compileExperiment(ExperimentSchema.parse(before)).counterKey).toBe(`k:${created.id}/4`)
    // A create body cannot choose the layout.
    expect(ExperimentCreateSchema.safeParse({ key: 'k', title: 'T', variants: [{ key: 'a', weight: 1 }], counters: 'pooled' }).success).toBe(false)
  })

  it('should send a unit to the same shard every time, and spread 32,000 units evenly over 32 shards', () => {
    const counts = new Array(32).fill(0)
    for (let i = 0; i < 32000; i++) {
      const unit = `visitor-${i}`
      const index = shardIndex(unit, 32)
      expect(shardIndex(unit, 32)).toBe(index)
      counts[index]++
    }
    // Each shard expects 1,000 (sd ≈ 31); 850–1,150 is about 5 sd either side.
    for (const n of counts) expect(n).toBeGreaterThan(850)
    for (const n of counts) expect(n).toBeLessThan(1150)
  })

  it('should split batches by shard and remember each item\'s position in its experiment', () => {
    const key = formatCounterKey('exp:abc', 4)
    const units = Array.from({ length: 20 }, (_, i) => `u${i}`)
    const batches = [
      { experiment: key, items: units.slice(0, 12).map((unit) => ({ unit })) },
      { experiment: key, items: units.slice(12).map((unit) => ({ unit })) },
    ]
    const routed = routeBatches(batches, (b) => b.items, (b, items) => ({ ...b, items }))
    const placed = new Array<string>(units.length)
    for (const [shard, parts] of routed) {
      for (const part of parts) {
        part.batch.items.forEach((item, k) => {
          expect(shardOf(key, item.unit)).toBe(shard)
          placed[part.positions[k]!] = item.unit
        })
      }
    }
    expect(placed).toEqual(units)
    expect(routed.size).toBeGreaterThan(1)
  })

  it('should sum shards field by field', () => {
    expect(sumCounters([{ 'x|1|A': 2, 's|1|A|rev': 1.5 }, { 'x|1|A': 3 }, {}])).toEqual({ 'x|1|A': 5, 's|1|A|rev': 1.5 })
  })

  it('should ask to raise an epoch above 1 on every shard once per experiment and epoch', () => {
    const spreader = new EpochSpreader()
    const sharded = formatCounterKey('exp:abc', 4)
    const batches = [
      { experiment: sharded, epoch: 2 },
      { experiment: 'one:shard', epoch: 3 },
      { experiment: formatCounterKey('fresh:x', 4), epoch: 1 },
    ]
    expect(spreader.needed(batches)).toEqual([{ experiment: sharded, epoch: 2 }])
    expect(spreader.needed(batches)).toEqual([{ experiment: sharded, epoch: 2 }])
    spreader.done([{ experiment: sharded, epoch: 2 }])
    expect(spreader.needed(batches)).toEqual([])
    expect(spreader.needed([{ experiment: sharded, epoch: 3 }])).toEqual([{ experiment: sharded, epoch: 3 }])
  })
})

describe('the shard count of a new experiment', () => {
  const input = (extra: Record<string, unknown> = {}) => ExperimentCreateSchema.parse({ key: 'k', title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], ...extra })

  it('should be the body\'s shards, else sized by its traffic, else the deployment\'s, else DEFAULT_SHARDS (4)', () => {
    expect(DEFAULT_SHARDS).toBe(4)
    expect(createExperiment(input(), new Date()).shards).toBe(4)
    expect(createExperiment(input(), new Date(), undefined, 2).shards).toBe(2)
    expect(createExperiment(input({ shards: 8 }), new Date(), undefined, 2).shards).toBe(8)
    expect(createExperiment(input({ shards: 8, traffic: 100_000 }), new Date(), undefined, 2).shards).toBe(8)
    expect(createExperiment(input({ traffic: 100_000 }), new Date(), undefined, 2).shards).toBe(40)
    expect(counterLayout(compileExperiment(createExperiment(input(), new Date())).counterKey).shards).toBe(4)
  })

  it('should size shards from traffic so that each takes at most VIEWS_PER_SHARD page views a second, within 1 to MAX_SHARDS', () => {
    expect(shardsForTraffic(0.5)).toBe(1)
    expect(shardsForTraffic(VIEWS_PER_SHARD)).toBe(1)
    expect(shardsForTraffic(VIEWS_PER_SHARD + 1)).toBe(2)
    expect(shardsForTraffic(10_000)).toBe(4)
    expect(shardsForTraffic(1e9)).toBe(MAX_SHARDS)
    for (const t of [1, 999, 2501, 12_345, 99_999, 120_000]) expect(t / shardsForTraffic(t) <= VIEWS_PER_SHARD || shardsForTraffic(t) === MAX_SHARDS).toBe(true)
  })

  it('should not store traffic, and refuse a traffic that is not a positive number with a clear message', () => {
    expect('traffic' in createExperiment(input({ traffic: 5000 }), new Date())).toBe(false)
    expect(() => input({ traffic: 0 })).toThrow(/traffic must be a positive number/)
    expect(() => input({ traffic: 'lots' })).toThrow()
  })
})
