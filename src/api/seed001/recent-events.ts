import type { Context } from 'hono'
import type { AppEnv } from '../../env'

/** A raw event as seed 001's `GET /events` lists it. */
export type RawEvent = { ts: string; deviceId: string | null; source: string | null; event: string; exp_group: unknown; params: unknown }

/** How many events `GET /events` returns, newest last; older ones expire. */
export const RECENT_LIMIT = 1000
const PREFIX = 'events:'
const TTL_SECONDS = 24 * 3600
// KV metadata holds at most 1024 bytes; params beyond that are summarised.
const MAX_METADATA = 1000
const FAR_FUTURE = 9_999_999_999_999

/**
 * Seed 001's event log (its in-memory `EVENTS` list), bounded and shared by every isolate: one KV
 * key per event, named so a listing returns the newest first and carrying the event in its
 * metadata, so the last 1000 come back in one list call. One key per event (not one list under
 * one key) because KV allows one write per second per key; entries expire after a day.
 */
export class RecentEvents {
  constructor(private readonly kv: KVNamespace) {}

  /** Appends one event. */
  async add(event: RawEvent, now = Date.now()): Promise<void> {
    let metadata: RawEvent = event
    if (JSON.stringify(event).length > MAX_METADATA) metadata = { ...event, exp_group: null, params: { truncated: true } }
    const key = `${PREFIX}${String(FAR_FUTURE - now).padStart(13, '0')}:${crypto.randomUUID().slice(0, 8)}`
    await this.kv.put(key, '', { expirationTtl: TTL_SECONDS, metadata })
  }

  /** The most recent events, oldest first (the seed's append order). */
  async list(): Promise<RawEvent[]> {
    const page = await this.kv.list<RawEvent>({ prefix: PREFIX, limit: RECENT_LIMIT })
    return page.keys.flatMap((k) => (k.metadata ? [k.metadata] : [])).reverse()
  }
}

/** The event log of this deployment (it lives in the CONFIG namespace, under `events:`). */
export function recentEvents(c: Context<AppEnv>): RecentEvents {
  return new RecentEvents(c.env.CONFIG)
}
