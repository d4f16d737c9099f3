import { DurableObject } from 'cloudflare:workers'
import { type EventInput, type EventOutcome, type ExposureInput, ID_TTL_MS, type MetricSpec, type RawCounters, type StickyAssignment } from '../counter-store'
import { field } from '../counters'

/** Exposures for one experiment under one epoch, as the shard receives them. */
export type ShardExposureBatch = { epoch: number; exposures: readonly ExposureInput[] }

/** Events for one experiment under one epoch, with the metric definitions they name. */
export type ShardEventBatch = { epoch: number; metrics: readonly MetricSpec[]; events: readonly EventInput[] }

/**
 * Schema. Counter names are the `RawCounters` field names (counter-store.ts), so getCounters is a
 * plain scan and both stores share one parser. WITHOUT ROWID: every lookup is by primary key.
 */
const SCHEMA = [
  // A unit's first assignment; also the "exposed" marker: a unit counts only in this epoch.
  `CREATE TABLE IF NOT EXISTS sticky (
     unit TEXT PRIMARY KEY,
     variant TEXT NOT NULL,
     epoch INTEGER NOT NULL,
     allocation_version INTEGER NOT NULL
   ) WITHOUT ROWID`,
  // x|…, xa|…, n|…, s|…, q|… and their per-day forms; REAL so sums of values are doubles as in Redis.
  `CREATE TABLE IF NOT EXISTS counters (
     name TEXT PRIMARY KEY,
     value REAL NOT NULL
   ) WITHOUT ROWID`,
  // Per-unit running total of each metric (1 for a binomial conversion): the state winsorization
  // and "converts once" need, kept only for the unit's own (sticky) epoch.
  `CREATE TABLE IF NOT EXISTS unit_metrics (
     unit TEXT NOT NULL,
     metric TEXT NOT NULL,
     total REAL NOT NULL,
     PRIMARY KEY (unit, metric)
   ) WITHOUT ROWID`,
  // Ids of counted events, for deduplication; rows older than ID_TTL_MS are purged lazily.
  `CREATE TABLE IF NOT EXISTS event_ids (
     id TEXT PRIMARY KEY,
     seen_at INTEGER NOT NULL
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS event_ids_by_time ON event_ids (seen_at)`,
]

// Purging scans the time index; once an hour is plenty because expired ids are ignored anyway.
const PURGE_EVERY_MS = 3600 * 1000

/**
 * The embedded counter store's shard: one instance per experiment (`idFromName(experimentKey)`).
 * Per experiment because writes to different experiments then never contend, one Durable Object
 * tops out around a thousand writes a second (so a global one would cap the whole service), and
 * reading one experiment's results reads exactly one shard. Every write runs in one
 * `transactionSync`, so a batch is all-or-nothing; the synchronous SQLite API means calls never
 * interleave, so concurrent writers cannot lose updates.
 */
export class CounterShard extends DurableObject<Env> {
  private lastPurge = 0

  /** Creates the schema on first use (idempotent, synchronous, before any call is served). */
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    for (const statement of SCHEMA) ctx.storage.sql.exec(statement)
  }

  /** The unit's sticky record, or null if it was never exposed. */
  getSticky(unit: string): StickyAssignment | null {
    return this.sticky(unit)
  }

  /** Records first exposures (creating sticky records); returns how many were newly counted. */
  recordExposures(batches: readonly ShardExposureBatch[]): number {
    return this.ctx.storage.transactionSync(() => {
      let counted = 0
      // Integer counts are summed per field first: a batch of 100 exposures becomes 100 sticky
      // inserts and a handful of counter upserts instead of 400 statements.
      const deltas = new Map<string, number>()
      const bump = (name: string) => deltas.set(name, (deltas.get(name) ?? 0) + 1)
      for (const { epoch, exposures } of batches) {
        for (const x of exposures) {
          const created = this.ctx.storage.sql
            .exec('INSERT INTO sticky VALUES (?, ?, ?, ?) ON CONFLICT (unit) DO NOTHING RETURNING unit', x.unit, x.variant, epoch, x.allocationVersion)
            .toArray()
          if (created.length === 0) continue
          counted++
          bump(field.exposures(epoch, x.variant))
          bump(field.exposuresByAllocation(epoch, x.allocationVersion, x.variant))
          bump(field.exposuresByDay(epoch, x.day, x.variant))
        }
      }
      for (const [name, delta] of deltas) this.add(name, delta)
      return counted
    })
  }

  /**
   * Counts events; outcomes per batch, in input order. Only counted events consume their id, so an
   * event refused as not exposed counts when retried after the exposure.
   */
  recordEvents(batches: readonly ShardEventBatch[], now: number): EventOutcome[][] {
    return this.ctx.storage.transactionSync(() => {
      const cutoff = now - ID_TTL_MS
      if (now - this.lastPurge >= PURGE_EVERY_MS) {
        this.ctx.storage.sql.exec('DELETE FROM event_ids WHERE seen_at < ?', cutoff)
        this.lastPurge = now
      }
      return batches.map(({ epoch, metrics, events }) => {
        const specs = new Map(metrics.map((m) => [m.key, m]))
        return events.map((e): EventOutcome => {
          const sticky = this.sticky(e.unit)
          if (!sticky) return 'not_exposed'
          const seen = this.ctx.storage.sql.exec<{ seen_at: number }>('SELECT seen_at FROM event_ids WHERE id = ?', e.id).toArray()[0]
          if (seen && seen.seen_at >= cutoff) return 'duplicate'
          if (sticky.epoch !== epoch) return 'earlier_epoch'
          this.ctx.storage.sql.exec('INSERT INTO event_ids VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at', e.id, now)
          for (const key of new Set(e.metrics)) {
            const spec = specs.get(key)
            if (spec) this.applyMetric(epoch, sticky.variant, spec, e)
          }
          return 'counted'
        })
      })
    })
  }

  /** Every counter of this experiment. */
  getCounters(): RawCounters {
    const out: RawCounters = {}
    for (const row of this.ctx.storage.sql.exec<{ name: string; value: number }>('SELECT name, value FROM counters')) out[row.name] = row.value
    return out
  }

  private sticky(unit: string): StickyAssignment | null {
    const row = this.ctx.storage.sql
      .exec<{ variant: string; epoch: number; allocation_version: number }>('SELECT variant, epoch, allocation_version FROM sticky WHERE unit = ?', unit)
      .toArray()[0]
    return row ? { variant: row.variant, epoch: row.epoch, allocationVersion: row.allocation_version } : null
  }

  // Same arithmetic, in the same order, as the Lua event script, so both stores hold equal doubles.
  private applyMetric(epoch: number, variant: string, spec: MetricSpec, e: EventInput): void {
    const sql = this.ctx.storage.sql
    const prev = sql.exec<{ total: number }>('SELECT total FROM unit_metrics WHERE unit = ? AND metric = ?', e.unit, spec.key).toArray()[0]
    if (spec.type === 'binomial') {
      if (prev) return
      sql.exec('INSERT INTO unit_metrics VALUES (?, ?, 1)', e.unit, spec.key)
      this.add(field.converters(epoch, variant, spec.key), 1)
      this.add(field.convertersByDay(epoch, e.day, variant, spec.key), 1)
      return
    }
    const before = prev?.total ?? 0
    const after = before + e.value
    sql.exec('INSERT INTO unit_metrics VALUES (?, ?, ?) ON CONFLICT (unit, metric) DO UPDATE SET total = excluded.total', e.unit, spec.key, after)
    if (!prev) {
      this.add(field.converters(epoch, variant, spec.key), 1)
      this.add(field.convertersByDay(epoch, e.day, variant, spec.key), 1)
    }
    const c0 = spec.cap === undefined ? before : Math.min(before, spec.cap)
    const c1 = spec.cap === undefined ? after : Math.min(after, spec.cap)
    const ds = c1 - c0
    const dq = c1 * c1 - c0 * c0
    this.add(field.sum(epoch, variant, spec.key), ds)
    this.add(field.sumByDay(epoch, e.day, variant, spec.key), ds)
    this.add(field.sumSq(epoch, variant, spec.key), dq)
    this.add(field.sumSqByDay(epoch, e.day, variant, spec.key), dq)
  }

  private add(name: string, delta: number): void {
    this.ctx.storage.sql.exec('INSERT INTO counters VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value', name, delta)
  }
}
