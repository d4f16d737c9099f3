/**
 * The shard router: the one place that knows how an experiment's counters are spread over shards
 * (docs/scale.md). Both stores route writes and fan reads out through it, so anything added to the
 * stores per unit (a segment, a time window) lands on the unit's shard and is summed on read.
 *
 * A unit always maps to the same shard of an experiment, so its sticky record, first exposure,
 * event ids and per-unit totals live together and per-unit semantics stay exact; counters are
 * plain sums, so an experiment's counters are the sum of its shards' counters.
 */
import { counterLayout } from '../core/counter-key'
import type { RawCounters } from '../core/counters'

/**
 * The shard of `unit`: FNV-1a over the UTF-16 code units, finished with MurmurHash3's fmix32 so
 * the low bits are well mixed before the modulo (Fowler–Noll–Vo; Appleby, MurmurHash3). Not a
 * secret: it only spreads load, per-unit correctness does not depend on it.
 */
export function shardIndex(unit: string, shards: number): number {
  if (shards <= 1) return 0
  let h = 0x811c9dc5
  for (let i = 0; i < unit.length; i++) h = Math.imul(h ^ unit.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) % shards
}

/**
 * The name of the shard holding `unit`'s records in the experiment named by `counterKey`:
 * `<base>:<i>`, or the base itself when there is one shard (the layout before sharding).
 */
export function shardOf(counterKey: string, unit: string): string {
  const { base, shards } = counterLayout(counterKey)
  return shardName(base, shards, unit)
}

// `<base>:<i>`, or the base itself when there is one shard.
const shardName = (base: string, shards: number, unit: string): string => (shards === 1 ? base : `${base}:${shardIndex(unit, shards)}`)

/** Every shard name of a counter key, in index order. */
export function allShards(counterKey: string): string[] {
  const { base, shards } = counterLayout(counterKey)
  return shards === 1 ? [base] : Array.from({ length: shards }, (_, i) => `${base}:${i}`)
}

/**
 * Where the embedded store keeps one shard of an experiment: the counter object's name and the
 * scope that sets the experiment's rows apart inside it. A pooled experiment's shard i lives in
 * `pool/<N>/<i>`, shared by every pooled experiment with N shards, under the scope `<base>/`; any
 * other shard is an object of its own (named as `shardOf` names it) with the empty scope. Names
 * with "/" never equal an unpooled shard's name, whose parts never contain one.
 */
export type CounterObject = { name: string; scope: string }

/** The counter object holding `unit`'s records of the experiment named by `counterKey`. */
export function objectOf(counterKey: string, unit: string): CounterObject {
  const { base, shards, pooled } = counterLayout(counterKey)
  if (!pooled) return { name: shardName(base, shards, unit), scope: '' }
  return { name: `pool/${shards}/${shardIndex(unit, shards)}`, scope: `${base}/` }
}

/** The scope of an experiment's rows in its counter objects (`objectOf`'s scope, the same on every shard). */
export function scopeOf(counterKey: string): string {
  const { base, pooled } = counterLayout(counterKey)
  return pooled ? `${base}/` : ''
}

/** The name of the counter object holding `unit`'s records (`objectOf`'s name). */
export function objectNameOf(counterKey: string, unit: string): string {
  return objectOf(counterKey, unit).name
}

/** Every counter object of a counter key, in shard index order. */
export function allObjects(counterKey: string): CounterObject[] {
  const { shards, pooled } = counterLayout(counterKey)
  const scope = scopeOf(counterKey)
  if (!pooled) return allShards(counterKey).map((name) => ({ name, scope }))
  return Array.from({ length: shards }, (_, i) => ({ name: `pool/${shards}/${i}`, scope }))
}

/** One shard's part of one experiment's batch, and where its items sit in that experiment's input. */
export type ShardPart<B> = { experiment: string; batch: B; positions: number[] }

/**
 * Splits batches of per-unit items by shard: per shard name (`nameOf`: a Redis shard by default,
 * `objectNameOf` for the embedded store's objects), in first-seen order, the parts of the batches
 * that go there (input order kept within a part) and each item's position among all the items of
 * its experiment in this call, so answers can be put back in input order.
 */
export function routeBatches<B extends { experiment: string }, T extends { unit: string }>(
  batches: readonly B[],
  itemsOf: (b: B) => readonly T[],
  withItems: (b: B, items: T[]) => B,
  nameOf: (counterKey: string, unit: string) => string = shardOf,
): Map<string, ShardPart<B>[]> {
  const byShard = new Map<string, ShardPart<B>[]>()
  const offsets = new Map<string, number>()
  for (const b of batches) {
    const items = itemsOf(b)
    const offset = offsets.get(b.experiment) ?? 0
    offsets.set(b.experiment, offset + items.length)
    const parts = new Map<string, { items: T[]; positions: number[] }>()
    items.forEach((item, i) => {
      const name = nameOf(b.experiment, item.unit)
      let part = parts.get(name)
      if (!part) parts.set(name, (part = { items: [], positions: [] }))
      part.items.push(item)
      part.positions.push(offset + i)
    })
    for (const [name, part] of parts) {
      const list = byShard.get(name) ?? []
      list.push({ experiment: b.experiment, batch: withItems(b, part.items), positions: part.positions })
      byShard.set(name, list)
    }
  }
  return byShard
}

/**
 * The sum of shards' counters, field by field: an experiment's counters. Callers read every shard
 * with Promise.all, so one shard failing fails the read (the caller answers 503): a sum over the
 * shards that answered would be a silent undercount.
 */
export function sumCounters(parts: readonly RawCounters[]): RawCounters {
  const out: RawCounters = {}
  for (const part of parts) for (const name in part) out[name] = (out[name] ?? 0) + part[name]!
  return out
}

/**
 * Keeps a restart's epoch the same on every shard. A shard learns a newer epoch from the writes it
 * receives, but a unit on another shard, written by an isolate still caching the old epoch, must
 * count in the new one too (src/store/counter-store.ts). So the first write this isolate makes
 * with an epoch above 1 for a sharded experiment also raises that epoch on all its shards, in the
 * same round trip; once that succeeded, this isolate does not repeat it. Epoch 1 needs nothing:
 * no write carries an older one.
 */
export class EpochSpreader {
  private readonly told = new Map<string, number>()

  /** The experiments (and epochs) whose shards a write of these batches must also raise. */
  needed(batches: readonly { experiment: string; epoch: number }[]): { experiment: string; epoch: number }[] {
    const out = new Map<string, number>()
    for (const { experiment, epoch } of batches) {
      if (epoch <= 1 || counterLayout(experiment).shards === 1 || (this.told.get(experiment) ?? 0) >= epoch) continue
      out.set(experiment, Math.max(out.get(experiment) ?? 0, epoch))
    }
    return [...out].map(([experiment, epoch]) => ({ experiment, epoch }))
  }

  /** Records that every shard of these experiments now holds at least these epochs (as `needed` answered them: above what was told). */
  done(raised: readonly { experiment: string; epoch: number }[]): void {
    for (const { experiment, epoch } of raised) this.told.set(experiment, epoch)
  }
}
