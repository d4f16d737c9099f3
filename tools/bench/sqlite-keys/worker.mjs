// The Durable Object side of `node tools/bench/sqlite-keys/run.mjs`: one SQLite-backed object
// with the counter shard's sticky table (src/store/durable-object/counter-shard.ts) and one
// method that inserts `n` new units in one transaction, keyed at random (UUIDs, as the site's
// visitor ids) or in order (a counter, as the bench's `?unit=<prefix><n>` ids).
import { DurableObject } from 'cloudflare:workers'

export class Units extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS sticky (unit TEXT PRIMARY KEY, variant TEXT NOT NULL, epoch INTEGER NOT NULL, allocation_version INTEGER NOT NULL, at INTEGER, segments TEXT) WITHOUT ROWID')
    this.next = 0
  }

  /** Inserts `n` new units, keyed by `order` ('random' or 'sequential'), under a pooled experiment's scope. */
  insert(n, order) {
    return this.ctx.storage.transactionSync(() => {
      let written = 0
      for (let k = 0; k < n; k++) {
        const unit = order === 'random' ? crypto.randomUUID() : `m${String(this.next++).padStart(10, '0')}`
        written += this.sql.exec('INSERT INTO sticky VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit) DO NOTHING', `moon_mars:1b4e28ba-2fa1-11d2-883f-0016d3cca427/${unit}`, 'b', 1, 1, 1764547200000, '[["country","DE"],["device","mobile"]]').rowsWritten
      }
      return written
    })
  }
}

export default {
  async fetch(request, env) {
    const q = new URL(request.url).searchParams
    const order = q.get('order')
    const units = env.UNITS.get(env.UNITS.idFromName(order))
    return new Response(String(await units.insert(Number(q.get('n')), order)))
  },
}
