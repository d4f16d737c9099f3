import { DurableObject } from 'cloudflare:workers'
import { field, type RawCounters } from '../../core/counters'
import type { StickyRecord } from '../../core/assign'
import { type EventInput, type EventOutcome, type ExposureInput, ID_TTL_MS, type MetricSpec } from '../counter-store'
import { parseRatioToken, ratioIncrements, ratioSlots } from '../ratio-writes'
import { EXPOSURE_TIMES_SCHEMA, exposureTimes, parseWindowToken } from '../exposure-times'
import { SEGMENT_SCHEMA, SegmentAdmission, segmentIncrements, unitSegments } from '../segment-writes'
import { segmentExposureField } from '../../core/segments'
import { rowInserter } from './sql-rows'
import { UNIT_ROWS_SCHEMA, UnitRows } from './unit-rows'

/**
 * Exposures for one experiment under one epoch, as the shard receives them; `scope` sets the
 * experiment's rows apart in an object shared by several (src/store/shard-router.ts, `objectOf`).
 */
export type ShardExposureBatch = { scope: string; epoch: number; exposures: readonly ExposureInput[] }

/** Events for one experiment (`scope`) under one epoch, with the metric definitions they name. */
export type ShardEventBatch = { scope: string; epoch: number; metrics: readonly MetricSpec[]; events: readonly EventInput[] }

/** One planned write of an event: a counter increment, or the unit's new total of a metric. */
type Write = { counter: string; delta: number } | { metric: string; total: number }

/**
 * Schema. Counter names are the `RawCounters` field names (src/core/counters.ts), so getCounters is a
 * plain scan and both stores share one parser. WITHOUT ROWID: every lookup is by primary key.
 */
const SCHEMA = [
  // Units first exposed before unit_rows existed (src/store/durable-object/unit-rows.ts), read only:
  // `<prefix><unit>` → variant, epoch, allocation_version and, in later tables, the first
  // exposure's time (ms) and segments ([dimension, value] pairs as counted, JSON; both NULL in rows
  // older still). An object created since gets it empty, with its key alone, so reads need not ask
  // whether it exists.
  'CREATE TABLE IF NOT EXISTS sticky (unit TEXT PRIMARY KEY) WITHOUT ROWID',
  // x|…, xa|…, n|…, s|…, q|… and their per-day forms; REAL so sums of values are doubles as in Redis.
  'CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID',
  // Per-unit running total of each metric (1 for a binomial conversion): the state winsorization
  // and "converts once" need, kept only for the unit's own (sticky) epoch.
  'CREATE TABLE IF NOT EXISTS unit_metrics (unit TEXT NOT NULL, metric TEXT NOT NULL, total REAL NOT NULL, PRIMARY KEY (unit, metric)) WITHOUT ROWID',
  // Ids of counted events, for deduplication; rows older than ID_TTL_MS are purged lazily.
  'CREATE TABLE IF NOT EXISTS event_ids (id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID',
  `CREATE INDEX IF NOT EXISTS event_ids_by_time ON event_ids (seen_at)`,
  // One row: the newest epoch this experiment is known to be in; writes carrying an older one
  // (from an isolate whose cached config predates a restart) are recorded under this one.
  'CREATE TABLE IF NOT EXISTS current_epoch (id INTEGER PRIMARY KEY CHECK (id = 0), epoch INTEGER NOT NULL)',
  // The same, per scope, for the experiments of a pooled object (the empty scope uses current_epoch).
  'CREATE TABLE IF NOT EXISTS scope_epochs (scope TEXT PRIMARY KEY, epoch INTEGER NOT NULL) WITHOUT ROWID',
  // Each scope's number in this object: its rows' keys start with `<id>/` (see CounterShard).
  'CREATE TABLE IF NOT EXISTS scopes (scope TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE) WITHOUT ROWID',
]

/**
 * A row of the older sticky table; `at` and `segments` are null, or absent in a table created
 * before it had those columns (read as it is: nothing writes the table any more).
 */
type StickyRow = { variant: string; epoch: number; allocation_version: number; at?: number | null; segments?: string | null }

/**
 * A unit's first assignment in one scope, wherever it is kept, as a UnitRecord; its time and
 * segments are null for units written before the sticky row held them (exposure_times and
 * unit_segments have theirs).
 */
type Sticky = [variant: string, epoch: number, allocationVersion: number, at: number | null, segments: [string, string][] | null]

// Adds each (name, delta) row to its counter, creating it at the delta.
const addCounters = rowInserter('INSERT INTO counters VALUES', ' ON CONFLICT (name) DO UPDATE SET value = value + excluded.value', 2)

// Purging scans the time index; once an hour is plenty because expired ids are ignored anyway.
const PURGE_EVERY_MS = 3600 * 1000

/**
 * The embedded counter store's shard: one instance per counter object (src/store/shard-router.ts,
 * `objectOf`): shard i of every pooled experiment with N shards (`pool/<N>/<i>`), or one shard of
 * one experiment created before pooling. Pooling is what keeps an exposure flush cheap: each call
 * costs a round trip and a commit whatever it carries (docs/scale.md, "Pooled counter objects"),
 * so a flush carrying ten experiments makes N calls, not 10 × N; shards still spread the writes,
 * as one Durable Object tops out around a thousand requests a second.
 *
 * Each experiment's rows are kept apart by its scope (`<base>/`, from the store), through the
 * scope's number in this object: every key it writes (per-unit totals, counter names, event ids,
 * spilled records, segment dimensions) starts with `<number>/`, which no key of another scope can
 * start with, and a unit's row (unit-rows.ts) holds its record under that prefix. A short prefix
 * rather than the scope itself, because many keys carry it: a 2-character prefix cost ~35% less CPU
 * per random-id row than the 48 characters of a scope (docs/performance-history.md, "README figures at
 * the end of the sixth session"). The empty scope is
 * an unpooled object's own rows, unprefixed.
 * Every write runs in one `transactionSync`, so a batch is all-or-nothing; the synchronous SQLite
 * API means calls never interleave, so concurrent writers cannot lose updates.
 *
 * Being the only writer of its storage, the instance also keeps what every write consults in
 * memory: each scope's current epoch and each segment dimension's admitted values, read on first
 * use. Changes made inside a transaction reach that copy only once it committed (`transaction`).
 */
export class CounterShard extends DurableObject<Env> {
  private lastPurge = 0
  private readonly sql: SqlStorage
  // Whether the older sticky table holds rows (read on first use; nothing writes it any more).
  private olderSticky: boolean | undefined
  // Each scope's key prefix as committed (absent until read), and the ones a running transaction numbered.
  private readonly prefixes = new Map<string, string>()
  private readonly stagedPrefixes = new Map<string, string>()
  // Each scope's epoch as committed (absent until read), and the values a running transaction set.
  private readonly epochs = new Map<string, number>()
  private readonly stagedEpochs = new Map<string, number>()
  private readonly segments: SegmentAdmission

  /** Creates the schema on first use (idempotent, synchronous, before any call is served). */
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    for (const statement of [...SCHEMA, EXPOSURE_TIMES_SCHEMA, ...SEGMENT_SCHEMA, ...UNIT_ROWS_SCHEMA]) this.sql.exec(statement)
    this.segments = new SegmentAdmission(this.sql)
  }

  /** The unit's sticky record in each scope, or null where it was never exposed. */
  getSticky(scopes: readonly string[], unit: string): (StickyRecord | null)[] {
    const rows = new UnitRows(this.sql)
    return scopes.map((scope) => {
      const prefix = this.prefixOf(scope, false)
      const found = prefix === null ? null : this.stickyOf(rows, prefix, unit)
      return found && { variant: found[0], epoch: found[1], allocationVersion: found[2] }
    })
  }

  /** Records first exposures (creating sticky records); returns how many were newly counted, per batch. */
  recordExposures(batches: readonly ShardExposureBatch[]): number[] {
    return this.transaction(() => {
      const counted: number[] = []
      // A new unit is one row for all its scopes (with its time and segments, src/store/durable-object/unit-rows.ts);
      // the call's rows are read first, 96 to a statement, and written at the end, 32 to a statement;
      // integer counts are summed per field and written in multi-row statements too: a batch of
      // 100 exposures is under ten statements instead of 1,000. Per unit only a key of what its
      // counters depend on is counted; field names are built once per distinct key.
      const rows = new UnitRows(this.sql)
      rows.load(batches.flatMap((b) => b.exposures.map((x) => x.unit)))
      const deltas = new Map<string, number>()
      const add = (name: string, n: number) => deltas.set(name, (deltas.get(name) ?? 0) + n)
      for (const { scope, epoch: sent, exposures } of batches) {
        const epoch = this.currentEpoch(scope, sent)
        const prefix = this.prefixOf(scope, true)!
        const byCell = new Map<string, { x: ExposureInput; n: number }>()
        const bySegment = new Map<string, { variant: string; dim: string; value: string; n: number }>()
        let n = 0
        for (const x of exposures) {
          // The first write wins: a unit counts once, under its first assignment.
          if (this.stickyOf(rows, prefix, x.unit)) continue
          // The values the unit's segments count as, admitted now that the unit is known to be new.
          const segments = x.segments ? this.segments.valuesOf(prefix, x.segments) : []
          rows.add(x.unit, prefix, [x.variant, epoch, x.allocationVersion, x.at ?? null, segments])
          n++
          const cell = `${x.variant}\u0000${x.allocationVersion}\u0000${x.day}`
          const c = byCell.get(cell)
          if (c) c.n++
          else byCell.set(cell, { x, n: 1 })
          for (const [dim, value] of segments) {
            this.segments.admit(prefix + dim, value)
            const key = `${x.variant}\u0000${dim}\u0000${value}`
            const g = bySegment.get(key)
            if (g) g.n++
            else bySegment.set(key, { variant: x.variant, dim, value, n: 1 })
          }
        }
        for (const { x, n } of byCell.values()) {
          add(prefix + field.exposures(epoch, x.variant), n)
          add(prefix + field.exposuresByAllocation(epoch, x.allocationVersion, x.variant), n)
          add(prefix + field.exposuresByDay(epoch, x.day, x.variant), n)
        }
        for (const g of bySegment.values()) add(prefix + segmentExposureField(epoch, g.dim, g.value, g.variant), g.n)
        counted.push(n)
      }
      rows.save()
      if (deltas.size) addCounters(this.sql, [...deltas].flat())
      return counted
    })
  }

  /**
   * Counts events; outcomes per batch, in input order. Only counted events consume their id, so an
   * event refused as not exposed counts when retried after the exposure, and one refused as
   * `invalid_value` (it would make a counter non-finite) leaves no trace.
   */
  recordEvents(batches: readonly ShardEventBatch[], now: number): EventOutcome[][] {
    return this.transaction(() => {
      const cutoff = now - ID_TTL_MS
      if (now - this.lastPurge >= PURGE_EVERY_MS) {
        this.sql.exec('DELETE FROM event_ids WHERE seen_at < ?', cutoff)
        this.lastPurge = now
      }
      const rows = new UnitRows(this.sql)
      rows.load(batches.flatMap((b) => b.events.map((e) => e.unit)))
      return batches.map(({ scope, epoch: sent, metrics, events }) => {
        const epoch = this.currentEpoch(scope, sent)
        const prefix = this.prefixOf(scope, true)!
        const specs = new Map(metrics.map((m) => [m.key, m]))
        return events.map((e): EventOutcome => {
          const unit = prefix + e.unit
          const id = prefix + e.id
          const found = this.stickyOf(rows, prefix, e.unit)
          if (!found) return 'not_exposed'
          const [variant, stickyEpoch] = found
          const seen = this.sql.exec<{ seen_at: number }>('SELECT seen_at FROM event_ids WHERE id = ?', id).toArray()[0]
          if (seen && seen.seen_at >= cutoff) return 'duplicate'
          if (stickyEpoch !== epoch) return 'earlier_epoch'
          // Every write of the event is planned and checked before any is made: all or nothing.
          const writes: Write[] = []
          for (const key of new Set(e.metrics)) {
            const windowed = parseWindowToken(key)
            const spec = specs.get(windowed?.key ?? key)
            const ratio = spec ? null : parseRatioToken(key)
            const planned = spec
              ? this.planMetric(prefix, epoch, variant, spec, windowed ? { ...e, day: windowed.day } : e)
              : ratio && specs.get(ratio.key)?.type === 'ratio'
                ? this.planRatio(prefix, epoch, variant, ratio, e)
                : []
            if (!planned) return 'invalid_value'
            writes.push(...planned)
          }
          // The unit's segments (fixed at its first exposure) get the same increments (src/store/segment-writes.ts).
          // Units first exposed before the sticky row held segments have theirs in unit_segments.
          const segments = found[4] ?? unitSegments(this.sql, unit)
          writes.push(...segmentIncrements(writes.filter((w) => 'counter' in w), segments))
          this.sql.exec('INSERT INTO event_ids VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at', id, now)
          for (const w of writes) {
            if ('counter' in w) addCounters(this.sql, [prefix + w.counter, w.delta])
            else this.sql.exec('INSERT INTO unit_metrics VALUES (?, ?, ?) ON CONFLICT (unit, metric) DO UPDATE SET total = excluded.total', unit, w.metric, w.total)
          }
          return 'counted'
        })
      })
    })
  }

  /** Raises one scope's epoch to at least `epoch` (never lowers it); returns the epoch now held. */
  advanceEpoch(scope: string, epoch: number): number {
    return this.transaction(() => this.currentEpoch(scope, epoch))
  }

  /** When each unit was first exposed (ms) in one scope, for those with a recorded time. */
  getExposureTimes(scope: string, units: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {}
    const prefix = this.prefixOf(scope, false)
    if (prefix === null) return out
    const older: string[] = []
    const rows = new UnitRows(this.sql)
    for (const unit of new Set(units)) {
      const found = this.stickyOf(rows, prefix, unit)
      if (found?.[3] != null) out[unit] = found[3]
      // Units first exposed before the sticky row held the time have it in exposure_times.
      else if (found && found[4] === null) older.push(unit)
    }
    const times = older.length ? exposureTimes(this.sql, older.map((u) => prefix + u)) : {}
    for (const unit of older) if (times[prefix + unit] !== undefined) out[unit] = times[prefix + unit]!
    return out
  }

  /** Every counter of one scope, by its name without the prefix (a range of the primary key). */
  getCounters(scope: string): RawCounters {
    const out: RawCounters = {}
    const prefix = this.prefixOf(scope, false)
    if (prefix === null) return out
    const rows = prefix
      ? // Names under `<n>/` sort from it up to `<n>0` ("0" follows "/"; `<n>0/…` is another scope's).
        this.sql.exec<{ name: string; value: number }>('SELECT name, value FROM counters WHERE name >= ? AND name < ?', prefix, prefix.slice(0, -1) + '0')
      : this.sql.exec<{ name: string; value: number }>('SELECT name, value FROM counters')
    for (const row of rows) out[row.name.slice(prefix.length)] = row.value
    return out
  }

  /**
   * Runs `body` in one transaction (all or nothing). What it changed of the memory copies (the
   * epoch, admitted segment values) is staged, and kept only once the transaction committed: a
   * rolled-back one must not leave memory ahead of storage.
   */
  private transaction<T>(body: () => T): T {
    let result: T
    try {
      result = this.ctx.storage.transactionSync(body)
    } catch (error) {
      this.stagedEpochs.clear()
      this.stagedPrefixes.clear()
      this.segments.rollback()
      throw error
    }
    for (const [scope, epoch] of this.stagedEpochs) this.epochs.set(scope, epoch)
    this.stagedEpochs.clear()
    for (const [scope, prefix] of this.stagedPrefixes) this.prefixes.set(scope, prefix)
    this.stagedPrefixes.clear()
    this.segments.commit()
    return result
  }

  /** The epoch a write to `scope` carrying `sent` is recorded under: the newest known, which `sent` may raise. Inside `transaction` only. */
  private currentEpoch(scope: string, sent: number): number {
    const known = this.stagedEpochs.get(scope) ?? this.committedEpoch(scope)
    if (sent <= known) return known
    if (scope) this.sql.exec('INSERT INTO scope_epochs VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET epoch = excluded.epoch', scope, sent)
    else this.sql.exec('INSERT INTO current_epoch VALUES (0, ?) ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch', sent)
    this.stagedEpochs.set(scope, sent)
    return sent
  }

  /**
   * The key prefix of `scope` in this object: '' for the empty scope, else `<number>/`; with
   * `create` (inside `transaction` only) a scope new to this object is numbered, else it has none (null).
   */
  private prefixOf(scope: string, create: boolean): string | null {
    if (!scope) return ''
    let prefix = this.prefixes.get(scope) ?? this.stagedPrefixes.get(scope)
    if (prefix !== undefined) return prefix
    const row = this.sql.exec<{ id: number }>('SELECT id FROM scopes WHERE scope = ?', scope).toArray()[0]
    if (row) {
      this.prefixes.set(scope, (prefix = `${row.id}/`))
      return prefix
    }
    if (!create) return null
    const id = this.sql.exec<{ id: number }>('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM scopes').one().id
    this.sql.exec('INSERT INTO scopes VALUES (?, ?)', scope, id)
    this.stagedPrefixes.set(scope, (prefix = `${id}/`))
    return prefix
  }

  private committedEpoch(scope: string): number {
    let epoch = this.epochs.get(scope)
    if (epoch === undefined) {
      const row = scope
        ? this.sql.exec<{ epoch: number }>('SELECT epoch FROM scope_epochs WHERE scope = ?', scope).toArray()[0]
        : this.sql.exec<{ epoch: number }>('SELECT epoch FROM current_epoch WHERE id = 0').toArray()[0]
      this.epochs.set(scope, (epoch = row?.epoch ?? 0))
    }
    return epoch
  }

  /** The unit's first assignment in the scope whose key prefix is `prefix`: in its unit row, spilled, or in the older sticky table; else null. */
  private stickyOf(rows: UnitRows, prefix: string, unit: string): Sticky | null {
    const record = rows.find(unit, prefix)
    if (record) return record
    this.olderSticky ??= this.sql.exec('SELECT 1 FROM sticky LIMIT 1').toArray().length > 0
    if (!this.olderSticky) return null
    const row = this.sql.exec<StickyRow>('SELECT * FROM sticky WHERE unit = ?', prefix + unit).toArray()[0]
    return row ? [row.variant, row.epoch, row.allocation_version, row.at ?? null, row.segments == null ? null : JSON.parse(row.segments)] : null
  }

  /**
   * The writes one metric makes for one event, or null when the unit's total or a counter would
   * become non-finite (SQLite would store Infinity, and NaN not at all). Same arithmetic, in the
   * same order, as the Lua event script, so both stores hold equal doubles.
   */
  private planMetric(prefix: string, epoch: number, variant: string, spec: MetricSpec, e: EventInput): Write[] | null {
    const before = this.total(prefix + e.unit, spec.key)
    const writes: Write[] = []
    const add = (counter: string, delta: number) => writes.push({ counter, delta })
    if (spec.type === 'binomial') {
      if (before !== undefined) return writes
      writes.push({ metric: spec.key, total: 1 })
      add(field.converters(epoch, variant, spec.key), 1)
      add(field.convertersByDay(epoch, e.day, variant, spec.key), 1)
    } else {
      const after = (before ?? 0) + e.value
      writes.push({ metric: spec.key, total: after })
      if (before === undefined) {
        add(field.converters(epoch, variant, spec.key), 1)
        add(field.convertersByDay(epoch, e.day, variant, spec.key), 1)
      }
      const c0 = spec.cap === undefined ? (before ?? 0) : Math.min(before ?? 0, spec.cap)
      const c1 = spec.cap === undefined ? after : Math.min(after, spec.cap)
      const ds = c1 - c0
      const dq = c1 * c1 - c0 * c0
      add(field.sum(epoch, variant, spec.key), ds)
      add(field.sumByDay(epoch, e.day, variant, spec.key), ds)
      add(field.sumSq(epoch, variant, spec.key), dq)
      add(field.sumSqByDay(epoch, e.day, variant, spec.key), dq)
    }
    return this.finite(prefix, writes)
  }

  /** The writes of one ratio event (src/store/ratio-writes.ts), or null when any would become non-finite. */
  private planRatio(prefix: string, epoch: number, variant: string, r: { key: string; dx: number; dy: number }, e: EventInput): Write[] | null {
    const slots = ratioSlots(r.key)
    const x0 = this.total(prefix + e.unit, slots.x)
    const y0 = this.total(prefix + e.unit, slots.y)
    const { totals, increments } = ratioIncrements(epoch, e.day, variant, r.key, x0 ?? 0, y0 ?? 0, r.dx, r.dy, x0 === undefined)
    const writes: Write[] = [{ metric: slots.x, total: totals[0] }, { metric: slots.y, total: totals[1] }, ...increments.map(([counter, delta]) => ({ counter, delta }))]
    return this.finite(prefix, writes)
  }

  /** `writes`, or null when any would leave a counter or a unit's total non-finite. */
  private finite(prefix: string, writes: Write[]): Write[] | null {
    return writes.every((w) => Number.isFinite('counter' in w ? this.counter(prefix + w.counter) + w.delta : w.total)) ? writes : null
  }

  /** A unit's running total of one metric (its key prefixed), or undefined before its first event. */
  private total(unit: string, metric: string): number | undefined {
    return this.sql.exec<{ total: number }>('SELECT total FROM unit_metrics WHERE unit = ? AND metric = ?', unit, metric).toArray()[0]?.total
  }

  private counter(name: string): number {
    return this.sql.exec<{ value: number }>('SELECT value FROM counters WHERE name = ?', name).toArray()[0]?.value ?? 0
  }
}
