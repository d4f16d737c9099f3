import type { CounterStore, ExposureInput } from '../store/counter-store'
import { shardOf } from '../store/shard-router'

/** How long an isolate gathers exposures before writing them in one store call. */
export const FLUSH_DELAY_MS = 20
/** A buffer this large is written at once rather than waiting for the delay. */
export const FLUSH_SIZE = 500
/**
 * At most this many counter shards per buffer: a flush makes one call per shard it touches, all
 * under the waitUntil of the request that opened the buffer, and Workers Free allows 50
 * subrequests per request (docs/scale.md, "Which knob"). A request whose exposures would take a
 * buffer past it opens the next buffer (with its own waitUntil) instead, so coalescing goes on.
 */
export const FLUSH_SHARDS = 40

type Batch = { experiment: string; epoch: number; exposures: ExposureInput[]; units: Set<string> }
type Buffer = { batches: Map<string, Batch>; shards: Set<string>; written: boolean }
type Exposures = { experiment: string; epoch: number; exposures: readonly ExposureInput[] }

// Per isolate and store, the buffer concurrent requests join.
const buffers = new WeakMap<CounterStore, Buffer>()

/**
 * Queues exposures and returns the write to hand to `waitUntil` when this call opened a new
 * buffer (the requests that join it return null: the opener's waitUntil carries their exposures).
 * Coalescing turns one store write per request into one per ~20 ms per isolate, which is what
 * keeps exposure logging from costing the assign endpoint its throughput. Exposures are plain
 * data, so writing them from another request's context is allowed in workerd.
 */
export function bufferExposures(store: CounterStore, batches: readonly Exposures[]): Promise<unknown> | null {
  let pending = buffers.get(store)
  if (pending && wouldExceed(pending, batches)) pending = undefined
  const opened = !pending
  if (!pending) {
    pending = { batches: new Map(), shards: new Set(), written: false }
    buffers.set(store, pending)
  }
  const buffer = pending
  let size = 0
  for (const b of batches) {
    const id = `${b.experiment}\u0000${b.epoch}`
    let batch = buffer.batches.get(id)
    if (!batch) buffer.batches.set(id, (batch = { experiment: b.experiment, epoch: b.epoch, exposures: [], units: new Set() }))
    for (const e of b.exposures) {
      if (batch.units.has(e.unit)) continue
      batch.units.add(e.unit)
      batch.exposures.push(e)
      buffer.shards.add(shardOf(b.experiment, e.unit))
    }
    size += batch.exposures.length
  }
  const flush = () => {
    if (buffer.written) return null
    buffer.written = true
    if (buffers.get(store) === buffer) buffers.delete(store)
    return store.recordExposures([...buffer.batches.values()].map(({ units: _, ...b }) => b))
  }
  if (size >= FLUSH_SIZE) return flush()
  if (!opened) return null
  return new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS)).then(flush)
}

/** Whether these exposures would take a non-empty buffer past FLUSH_SHARDS shards. */
function wouldExceed(buffer: Buffer, batches: readonly Exposures[]): boolean {
  const added = new Set<string>()
  for (const b of batches) for (const e of b.exposures) {
    const shard = shardOf(b.experiment, e.unit)
    if (!buffer.shards.has(shard)) added.add(shard)
  }
  return buffer.shards.size + added.size > FLUSH_SHARDS
}
