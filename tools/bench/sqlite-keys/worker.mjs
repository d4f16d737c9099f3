// The Durable Object side of `node tools/bench/sqlite-keys/run.mjs`: one SQLite-backed object per
// layout and id order, and one method that writes `units` new units, each exposed to EXPERIMENTS
// pooled experiments, in one transaction, keyed at random (UUIDs, as an API caller's user ids) or
// in order (a counter, as the bench's `?unit=<prefix><n>` ids and the site's UUIDv7 visitor ids).
// Layouts (src/store/durable-object/): `scope-rows`, one row per unit and experiment keyed
// `<n>/<unit>` (the counter shard's sticky table before unit rows); `unit-rows`, one row per unit
// whose JSON holds every experiment's record (unit-rows.ts: read, then written once).
import { DurableObject } from 'cloudflare:workers'

const EXPERIMENTS = 10
const SEGMENTS = [['country', 'DE'], ['device', 'mobile']]

export class Units extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS sticky (unit TEXT PRIMARY KEY, variant TEXT NOT NULL, epoch INTEGER NOT NULL, allocation_version INTEGER NOT NULL, at INTEGER, segments TEXT) WITHOUT ROWID')
    this.sql.exec('CREATE TABLE IF NOT EXISTS unit_rows (unit TEXT PRIMARY KEY, records TEXT NOT NULL, spilled INTEGER NOT NULL) WITHOUT ROWID')
    this.next = 0
  }

  /** Writes `units` new units in `layout`, keyed in `order` ('random' or 'sequential'); answers the records written. */
  insert(units, layout, order) {
    return this.ctx.storage.transactionSync(() => {
      let written = 0
      const ids = Array.from({ length: units }, () => (order === 'random' ? crypto.randomUUID() : `m${String(this.next++).padStart(10, '0')}`))
      if (layout === 'scope-rows') {
        for (let n = 1; n <= EXPERIMENTS; n++) {
          for (const unit of ids) {
            written += this.sql.exec('INSERT INTO sticky VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit) DO NOTHING', `${n}/${unit}`, 'b', 1, 1, 1764547200000, JSON.stringify(SEGMENTS)).rowsWritten
          }
        }
        return written
      }
      for (const unit of ids) {
        const row = this.sql.exec('SELECT records FROM unit_rows WHERE unit = ?', unit).toArray()[0]
        const records = row ? JSON.parse(row.records) : {}
        for (let n = 1; n <= EXPERIMENTS; n++) if (!records[n]) (records[n] = ['b', 1, 1, 1764547200000, SEGMENTS]), written++
        this.sql.exec('INSERT INTO unit_rows VALUES (?, ?, 0) ON CONFLICT (unit) DO UPDATE SET records = excluded.records', unit, JSON.stringify(records))
      }
      return written
    })
  }
}

export default {
  async fetch(request, env) {
    const q = new URL(request.url).searchParams
    const [layout, order] = [q.get('layout'), q.get('order')]
    const object = env.UNITS.get(env.UNITS.idFromName(`${layout}/${order}`))
    return new Response(String(await object.insert(Number(q.get('units')), layout, order)))
  },
}
