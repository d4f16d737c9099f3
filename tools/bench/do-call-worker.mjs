// The Worker of do-call-probe.mjs: `?m=` absent answers at once; `ping` makes one call to a Durable
// Object that does nothing; `write` makes one call that writes one row in a transaction, as a
// counter object's smallest exposure write does. The object is one of 16 by name, as the pooled
// counter objects are (src/store/shard-router.ts).
import { DurableObject } from 'cloudflare:workers'

export class Probe extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS rows (unit TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID')
  }

  ping() {
    return 1
  }

  write(exposure) {
    this.ctx.storage.transactionSync(() => this.sql.exec('INSERT OR REPLACE INTO rows VALUES (?, ?)', exposure.unit, JSON.stringify(exposure)))
    return 1
  }
}

export default {
  async fetch(request, env) {
    const mode = new URL(request.url).searchParams.get('m')
    if (mode === 'ping' || mode === 'write') {
      const stub = env.PROBE.get(env.PROBE.idFromName(`pool/16/${(Math.random() * 16) | 0}`))
      const exposure = { unit: crypto.randomUUID(), variant: 'A', day: '2026-12-01', segments: { country: 'US', device: 'desktop' } }
      await (mode === 'ping' ? stub.ping() : stub.write(exposure))
    }
    return new Response('ok')
  },
}
