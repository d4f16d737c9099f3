import type { CounterStore, ExposureInput } from '../store/counter-store'
import { objectNameOf } from '../store/shard-router'
import { wait } from './wait'

/** How long an isolate gathers exposures before writing them in one store call. */
export const FLUSH_DELAY_MS = 20
/**
 * The gathering window of writes a response waits for (a page view's exposures, `/v1/assign`'s
 * `confirm`): short, because the answer waits on it, yet it merges the writes of requests that
 * arrive together in a busy isolate into one call per shard. It is only kept while an exposure
 * call of this isolate is out: a request that finds none is written on the event loop's next turn,
 * so a lone request waits for nothing but its own call (docs/performance.md, "Confirm window").
 * The next turn, not at once: the requests of the same turn share that call instead of the first
 * going alone and the rest waiting out the window (docs/performance.md, "Fifteenth session").
 * A page view's lone write waits instead for its origin's answer (then a turn), at most this
 * window: where the counter objects share the Worker's thread, as in workerd, a call made on the
 * next turn ran before the page's origin request had left the process and held it up by the
 * object's work (docs/performance.md, "Sixteenth session"). 1 ms rather than 2
 * since new visitors are placed on the window's shard (windowSlot): a window then makes one call
 * where it made one per shard, so shorter windows cost no more calls and their pages wait less
 * (docs/performance.md, "Thirteenth session").
 */
export const CONFIRM_DELAY_MS = 1
/**
 * A buffer this large is written at once rather than waiting for the delay. Large, because every
 * call also writes its experiments' counters and commits, whatever it carries: at 500, ten
 * experiments at 4,000 requests a second filled a buffer every 12 ms, and raising it cut the
 * counter object's CPU by two fifths (docs/performance.md, "Flush size"). Bounded so that one
 * call stays well under Upstash's 1 MB request limit (~100 bytes an exposure) and one
 * transaction under ~10 ms of the object's time.
 */
export const FLUSH_SIZE = 2000
/**
 * At most this many counter objects per buffer (src/store/shard-router.ts, `objectOf`; pooled
 * experiments share them): a flush makes one call per object it touches, all
 * under the waitUntil of the request that opened the buffer, and Workers Free allows 50
 * subrequests per request (docs/scale.md, "Which knob"). A request whose exposures would take a
 * buffer past it opens the next buffer (with its own waitUntil) instead, so coalescing goes on.
 */
export const FLUSH_SHARDS = 40

type Batch = { experiment: string; epoch: number; exposures: ExposureInput[]; units: Set<string> }
type Buffer = { batches: Map<string, Batch>; shards: Set<string>; written: boolean; done: Promise<boolean>; settle: (ok: boolean) => void }
type Exposures = { experiment: string; epoch: number; exposures: readonly ExposureInput[] }

// Per gathering window, isolate and store: the buffer concurrent requests join.
const buffers = new Map<number, WeakMap<CounterStore, Buffer>>()
// The isolate's exposure calls still out.
let out = 0
// Where new visitors go until the isolate's next exposure call (windowSlot): a fraction of the shards.
let slot: number | undefined

/**
 * Queues exposures and returns the write to hand to `waitUntil` when this call opened a new
 * buffer (the requests that join it return null: the opener's waitUntil carries their exposures).
 * Coalescing turns one store write per request into one per ~20 ms per isolate, which is what
 * keeps exposure logging from costing the assign endpoint its throughput. Exposures are plain
 * data, so writing them from another request's context is allowed in workerd.
 */
export function bufferExposures(store: CounterStore, batches: readonly Exposures[]): Promise<unknown> | null {
  return joinBuffer(store, batches, FLUSH_DELAY_MS).write
}

/**
 * Queues exposures in the buffer of a `delayMs` window, and answers the write to hand to `waitUntil`
 * (this call's, when it opened the buffer, else null) and `written`: whether the store took the
 * call that carried them. Neither rejects: a failure is logged. A response can wait on `written`.
 * `after`: what the request awaits meanwhile (the site's origin fetch); a short window that no
 * call out keeps open leaves once it has settled, or after `delayMs` (CONFIRM_DELAY_MS).
 */
export function joinBuffer(store: CounterStore, batches: readonly Exposures[], delayMs: number, after?: Promise<unknown>): { write: Promise<unknown> | null; written: Promise<boolean> } {
  let open = buffers.get(delayMs)
  if (!open) buffers.set(delayMs, (open = new WeakMap()))
  // Each exposure's counter object, named once: both the bound and the buffer's object set use it.
  const shards = batches.map((b) => b.exposures.map((e) => objectNameOf(b.experiment, e.unit)))
  let pending = open.get(store)
  if (pending && wouldExceed(pending, shards)) pending = undefined
  const opened = !pending
  if (!pending) {
    let settle!: (ok: boolean) => void
    const done = new Promise<boolean>((resolve) => (settle = resolve))
    pending = { batches: new Map(), shards: new Set(), written: false, done, settle }
    open.set(store, pending)
  }
  const buffer = pending
  let size = 0
  batches.forEach((b, i) => {
    const id = `${b.experiment}\u0000${b.epoch}`
    let batch = buffer.batches.get(id)
    if (!batch) buffer.batches.set(id, (batch = { experiment: b.experiment, epoch: b.epoch, exposures: [], units: new Set() }))
    b.exposures.forEach((e, j) => {
      if (batch.units.has(e.unit)) return
      batch.units.add(e.unit)
      batch.exposures.push(e)
      buffer.shards.add(shards[i]![j]!)
    })
    size += batch.exposures.length
  })
  const flush = () => {
    if (buffer.written) return null
    buffer.written = true
    if (open.get(store) === buffer) open.delete(store)
    out++
    slot = undefined
    buffer.done.then(() => out--)
    return store.recordExposures([...buffer.batches.values()].map(({ units: _, ...b }) => b)).then(
      () => buffer.settle(true),
      (error: unknown) => {
        console.warn(`exposure write failed: ${(error as Error)?.message ?? error}`)
        buffer.settle(false)
      },
    )
  }
  if (size >= FLUSH_SIZE) return { write: flush(), written: buffer.done }
  if (!opened) return { write: null, written: buffer.done }
  // A lone short window waits for `after` to settle either way (a failed origin fetch releases it
  // too), then a turn, so that requests answered in the same turn as the origin still share the call.
  return { write: (out || delayMs > CONFIRM_DELAY_MS ? wait(delayMs) : Promise.race([after, wait(delayMs)]).then(() => wait(0), () => wait(0))).then(flush), written: buffer.done }
}

/** Whether exposures on these shards would take a non-empty buffer past FLUSH_SHARDS shards. */
function wouldExceed(buffer: Buffer, shards: readonly (readonly string[])[]): boolean {
  const added = new Set<string>()
  for (const names of shards) for (const shard of names) if (!buffer.shards.has(shard)) added.add(shard)
  return buffer.shards.size + added.size > FLUSH_SHARDS
}

/**
 * The shard, of `shards`, that new visitors join until the isolate's next exposure call
 * (src/flows/new-visitor.ts): drawn at random for each window, so that windows, and isolates that
 * started together, spread over the shards.
 */
export const windowSlot = (shards: number): number => ((slot ??= Math.random()) * shards) | 0
