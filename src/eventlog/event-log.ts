import { DurableObject } from 'cloudflare:workers'
import { boundEvent, listedEvent, type RawEvent } from './raw-event'

/** How many events the log keeps: seed 001's `GET /events` shows the last 1000 (docs/compatibility.md, "Seed 001"). */
export const EVENT_LOG_SIZE = 1000

const SCHEMA = `CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  body TEXT NOT NULL
)`

/**
 * Seed 001's raw event log (docs/compatibility.md, "Seed 001") as a bounded ring: one global
 * SQLite-backed instance (`idFromName('global')`) keeping the last 1000 events, older rows
 * deleted on every append.
 * A Durable Object rather than Workers KV because every public `POST /events` and
 * `GET /api/expgroups` appends: Workers KV allows one write per second per key and a daily write
 * quota (Cloudflare, "Workers KV limits") that anyone could exhaust, which would also block
 * publishing config changes.
 */
export class EventLog extends DurableObject<Env> {
  /** Creates the table on first use (idempotent). */
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.storage.sql.exec(SCHEMA)
  }

  /** Appends events in order (one transaction) and drops all but the newest 1000. */
  append(events: readonly RawEvent[], now = Date.now()): void {
    const kept = events.slice(-EVENT_LOG_SIZE)
    if (kept.length === 0) return
    const sql = this.ctx.storage.sql
    this.ctx.storage.transactionSync(() => {
      for (const e of kept) sql.exec('INSERT INTO events (at, body) VALUES (?, ?)', now, JSON.stringify(boundEvent(e)))
      // Without AUTOINCREMENT SQLite gives max(seq) + 1, and the newest row is never deleted, so seq only grows: the newest 1000 are the top 1000 seqs.
      sql.exec('DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?', EVENT_LOG_SIZE)
    })
  }

  /** The kept events, oldest first (the seed's append order). */
  list(): RawEvent[] {
    return this.ctx.storage.sql
      .exec<{ body: string }>('SELECT body FROM events ORDER BY seq')
      .toArray()
      .map((row) => listedEvent(JSON.parse(row.body) as Record<string, unknown>))
  }
}
