import type { CompiledExperiment } from '../core/compile'
import type { ConfigSnapshot } from '../config/config-doc'
import type { EventInput, EventOutcome, MetricSpec } from '../store/counter-store'
import { utcDay } from '../core/utc-day'
import { ratioDelta, ratioParts } from '../core/ratio-parts'
import { ratioToken } from '../store/ratio-writes'
import { FUTURE_SKEW_MS, isDateMs, MAX_DATE_MS } from './event-window'
import { type EventsResponse, type IGNORE_REASONS, isEventValue, MAX_EVENT_VALUE, type TrackedEvent } from '../core/event-schema'

/** The time of an event in ms (now when it has none), as planning reads it. */
export function eventTime(e: TrackedEvent, now: number): number {
  return e.ts === undefined ? now : typeof e.ts === 'number' ? e.ts : Date.parse(e.ts)
}

/** One experiment's share of an event batch, ready for the store (`experiment`: its counter key; `key`: its key, for messages). */
export type EventBatch = { experiment: string; key: string; epoch: number; metrics: MetricSpec[]; events: EventInput[]; indexes: number[] }

/** Why an event is set aside before any store is asked. */
export type EarlyReason = Extract<(typeof IGNORE_REASONS)[number], 'no_experiment' | 'stale_timestamp' | 'invalid_value' | 'invalid_timestamp'>

/** How a batch splits across experiments, plus events that no experiment measures or that cannot count. */
export type EventPlan = { batches: EventBatch[]; ids: string[]; unmatched: { index: number; reason: EarlyReason; message: string }[] }

/** A fresh id for an event sent without one: such events are never merged with each other. */
export function randomEventId(): string {
  return `r:${crypto.randomUUID()}`
}

/**
 * The event's id: the caller's, or a fresh random one. Two identical events without an id are two
 * real events (two purchases of the same amount), so only an id the sender repeats deduplicates.
 */
export function eventId(e: { id?: string | undefined }, newId: () => string = randomEventId): string {
  return e.id ?? newId()
}

/** Why an event cannot count at `now` (ts and value bounds), or null when it can. */
function rejection(e: TrackedEvent, ts: number, now: number, maxAgeMs: number): { reason: EarlyReason; message: string } | null {
  if (!isDateMs(ts)) return { reason: 'invalid_timestamp', message: `ts: ${String(e.ts)} is not a date (milliseconds since 1970 up to ${MAX_DATE_MS}, or ISO 8601)` }
  if (e.value !== undefined && !isEventValue(e.value)) return { reason: 'invalid_value', message: `value: ${e.value} is outside the accepted range [-${MAX_EVENT_VALUE.toExponential()}, ${MAX_EVENT_VALUE.toExponential()}]` }
  if (ts > now + FUTURE_SKEW_MS) return { reason: 'stale_timestamp', message: `ts ${new Date(ts).toISOString()} is in the future (more than ${FUTURE_SKEW_MS / 1000} s ahead)` }
  if (ts < now - maxAgeMs) return { reason: 'stale_timestamp', message: `ts ${new Date(ts).toISOString()} is too old: events older than ${maxAgeMs / 1000} s are not counted` }
  return null
}

/**
 * Splits events by the experiments whose metrics listen to them (running or paused, i.e. with a
 * live epoch), optionally restricted to the experiments an event names. Attribution to a variant
 * happens in the store, from the unit's sticky record: never from anything the client claims.
 * Events dated outside [now − maxAgeMs, now + FUTURE_SKEW_MS], or with an unbounded value, are
 * set aside with their reason. Pure apart from `newId` (random ids for events without one).
 */
export function planEvents(snapshot: ConfigSnapshot, events: readonly TrackedEvent[], now: number, maxAgeMs: number, newId: () => string = randomEventId): EventPlan {
  const live = [...snapshot.experiments.values()].filter((c) => c.experiment.state === 'running' || c.experiment.state === 'paused')
  const batches = new Map<string, EventBatch>()
  const unmatched: EventPlan['unmatched'] = []
  const ids = events.map((e) => eventId(e, newId))
  events.forEach((e, index) => {
    const ts = eventTime(e, now)
    const rejected = rejection(e, ts, now, maxAgeMs)
    if (rejected) {
      unmatched.push({ index, ...rejected })
      return
    }
    // -0 counts as 0 (it would otherwise survive into per-unit totals as "-0").
    const value = e.value === undefined || e.value === 0 ? 0 : e.value
    const candidates = live.filter((c) => !e.experiments || e.experiments.includes(c.experiment.key))
    let matched = false
    for (const c of candidates) {
      const metrics = listening(c, e.name, value)
      if (metrics.length === 0) continue
      matched = true
      const batch = batches.get(c.experiment.key) ?? newBatch(c)
      batches.set(c.experiment.key, batch)
      batch.events.push({ id: ids[index]!, unit: e.unit, value, day: utcDay(ts), metrics })
      batch.indexes.push(index)
    }
    if (!matched) {
      const scope = e.experiments ? ` among ${e.experiments.join(', ')}` : ''
      unmatched.push({ index, reason: 'no_experiment', message: `no running experiment${scope} has a metric on event "${e.name}"` })
    }
  })
  return { batches: [...batches.values()], ids, unmatched }
}

/**
 * The store's names of the experiment's metrics that listen to event `name`: a binomial or mean
 * metric's key, or for a ratio metric the token saying what the event adds to the unit's numerator
 * and denominator (src/core/ratio-parts.ts, src/store/ratio-writes.ts).
 */
function listening(c: CompiledExperiment, name: string, value: number): string[] {
  const out: string[] = []
  for (const m of c.experiment.metrics) {
    if (m.type !== 'ratio') {
      if (m.event === name) out.push(m.key)
      continue
    }
    const parts = ratioParts(m, c.experiment.metrics)
    const delta = parts && ratioDelta(parts, name, value)
    if (delta) out.push(ratioToken(m.key, delta[0], delta[1]))
  }
  return out
}

function newBatch(c: CompiledExperiment): EventBatch {
  // A retention metric is counted as binomial (did the unit send the event), within its window.
  const metrics = c.experiment.metrics.map((m): MetricSpec => {
    const type = m.type === 'retention' ? 'binomial' : m.type
    return m.cap === undefined ? { key: m.key, type } : { key: m.key, type, cap: m.cap }
  })
  return { experiment: c.counterKey, key: c.experiment.key, epoch: c.experiment.epoch, metrics, events: [], indexes: [] }
}

// A store answers `invalid_value` when an in-range value would still push a per-unit total or a
// sum of squares past what a double holds (src/store/counter-store.ts).
type StoreReason = Exclude<EventOutcome | 'invalid_value', 'counted' | 'duplicate'>

const MESSAGES: Record<StoreReason, string> = {
  not_exposed: 'the unit has no exposure in the current epoch of',
  earlier_epoch: 'the unit was first assigned before the last restart of',
  invalid_value: 'value: counting it would make a counter non-finite in',
}

/**
 * Folds per-experiment outcomes into the answer: an event is accepted when counted anywhere, a
 * duplicate when every experiment had seen its id, and otherwise ignored with the reason.
 */
export function summarise(plan: EventPlan, outcomes: Record<string, EventOutcome[]>, total: number): EventsResponse {
  const perEvent: { experiment: string; outcome: EventOutcome | StoreReason }[][] = Array.from({ length: total }, () => [])
  for (const batch of plan.batches) {
    const results = outcomes[batch.experiment] ?? []
    batch.indexes.forEach((index, i) => perEvent[index]!.push({ experiment: batch.key, outcome: results[i] ?? 'not_exposed' }))
  }
  const response: EventsResponse = { accepted: 0, duplicate: 0, ignored: [] }
  const unmatched = new Map(plan.unmatched.map((u) => [u.index, u]))
  // Precedence across experiments: counted anywhere, else already counted (duplicate), else the
  // most specific reason it could not count.
  perEvent.forEach((results, index) => {
    const id = plan.ids[index]!
    const early = unmatched.get(index)
    const has = (o: EventOutcome | StoreReason) => results.some((r) => r.outcome === o)
    if (early) response.ignored.push({ index, id, reason: early.reason, message: early.message })
    else if (has('counted')) response.accepted++
    else if (has('duplicate')) response.duplicate++
    else {
      const outcome: StoreReason = has('invalid_value') ? 'invalid_value' : has('earlier_epoch') ? 'earlier_epoch' : 'not_exposed'
      const where = results.filter((r) => r.outcome === outcome).map((r) => `"${r.experiment}"`).join(', ')
      response.ignored.push({ index, id, reason: outcome, message: `${MESSAGES[outcome]} ${where}` })
    }
  })
  return response
}
