import type { CounterStore, ExposureInput } from '../store/counter-store'
import { shardOf } from '../store/shard-router'

/** How long an isolate gathers exposures before writing them in one store call. */
export const FLUSH_DELAY_MS = 20
/** A buffer this large is written at once rather than waiting for the delay. */
export const FLUSH_SIZE = 500
/**
 * A buffer whose exposures reach this many counter shards is written at once: a flush makes one
 * call per shard it touches, all under the waitUntil of the request that opened the buffer, and
 * Workers Free allows 50 subrequests per request (docs/scale.md, "Which knob").
 */
export const FLUSH_SHARDS = 40

type Batch = { experiment: string; epoch: number; exposures: ExposureInput[]; units: Set<string> }
type Buffer = { batches: Map<string, Batch>; shards: Set<string> }

// Per isolate and store: concurrent requests share one pending write.
const buffers = new WeakMap<CounterStore, Buffer>()

/**
 * Queues exposures and returns the write to hand to `waitUntil` when this call opened a new
 * buffer (the requests that join it return null: the opener's waitUntil carries their exposures).
 * Coalescing turns one store write per request into one per ~20 ms per isolate, which is what
 * keeps exposure logging from costing the assign endpoint its throughput. Exposures are plain
 * data, so writing them from another request's context is allowed in workerd.
 */
export function bufferExposures(store: CounterStore, batches: readonly { experiment: string; epoch: number; exposures: readonly ExposureInput[] }[]): Promise<unknown> | null {
  let pending = buffers.get(store)
  const opened = !pending
  if (!pending) {
    pending = { batches: new Map(), shards: new Set() }
    buffers.set(store, pending)
  }
  let size = 0
  for (const b of batches) {
    const id = `${b.experiment}\u0000${b.epoch}`
    let batch = pending.batches.get(id)
    if (!batch) pending.batches.set(id, (batch = { experiment: b.experiment, epoch: b.epoch, exposures: [], units: new Set() }))
    for (const e of b.exposures) {
      if (batch.units.has(e.unit)) continue
      batch.units.add(e.unit)
      batch.exposures.push(e)
      pending.shards.add(shardOf(b.experiment, e.unit))
    }
    size += batch.exposures.length
  }
  const flush = () => {
    if (buffers.get(store) !== pending) return null
    buffers.delete(store)
    return store.recordExposures([...pending!.batches.values()].map(({ units: _, ...b }) => b))
  }
  if (size >= FLUSH_SIZE || pending.shards.size >= FLUSH_SHARDS) return flush()
  if (!opened) return null
  return new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS)).then(flush)
}
