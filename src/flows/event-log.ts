import type { EventLog } from '../eventlog/event-log'
import type { RawEvent } from '../eventlog/raw-event'
import { wait } from './wait'

export { type RawEvent, RawEventSchema } from '../eventlog/raw-event'

/** How long an isolate gathers events before appending them in one call. */
const FLUSH_DELAY_MS = 20
/** A buffer this large is appended at once. */
const FLUSH_SIZE = 100

type Pending = { events: RawEvent[]; at: number }

// Per isolate and binding: concurrent requests share one pending append.
const buffers = new WeakMap<DurableObjectNamespace<EventLog>, Pending>()

/**
 * The recent-events log that seed 001's `/events` and `/api/expgroups` write and list
 * (docs/compatibility.md), bounded and shared by every isolate: the `EventLog` Durable Object
 * (src/eventlog/event-log.ts). Public requests never write Workers KV.
 */
export class RecentEvents {
  constructor(private readonly ns: DurableObjectNamespace<EventLog>) {}

  /**
   * Queues one event and returns the append to hand to `waitUntil` when this call opened the
   * isolate's buffer; calls that join it resolve at once (the opener's `waitUntil` carries their
   * events, as exposure batching does in src/flows/exposure-buffer.ts), so a burst is one append.
   */
  add(event: RawEvent, now = Date.now()): Promise<void> {
    let pending = buffers.get(this.ns)
    const opened = !pending
    if (!pending) buffers.set(this.ns, (pending = { events: [], at: now }))
    pending.events.push(event)
    const flush = async () => {
      if (buffers.get(this.ns) !== pending) return
      buffers.delete(this.ns)
      await this.stub().append(pending!.events, pending!.at)
    }
    if (pending.events.length >= FLUSH_SIZE) return flush()
    if (!opened) return Promise.resolve()
    return wait(FLUSH_DELAY_MS).then(flush)
  }

  /** The most recent events, oldest first (the order they were appended in). */
  async list(): Promise<RawEvent[]> {
    return (await this.stub().list()) as RawEvent[]
  }

  private stub() {
    return this.ns.get(this.ns.idFromName('global'))
  }
}
