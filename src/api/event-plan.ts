import type { CompiledExperiment } from '../core/compile'
import type { ConfigSnapshot } from '../config/config-doc'
import type { EventInput, EventOutcome, MetricSpec } from '../store/counter-store'
import { utcDay } from '../store/exposure-log'
import type { EventsResponse, TrackedEvent } from './events-schema'

/** Events may be at most this far in the future (clock skew), and no older than the id memory. */
const FUTURE_SKEW_MS = 5 * 60 * 1000

/** One experiment's share of an event batch, ready for the store. */
export type EventBatch = { experiment: string; epoch: number; metrics: MetricSpec[]; events: EventInput[]; indexes: number[] }

/** How a batch splits across experiments, plus events that no experiment measures. */
export type EventPlan = { batches: EventBatch[]; ids: string[]; unmatched: { index: number; reason: 'no_experiment' | 'stale_timestamp'; message: string }[] }

const encoder = new TextEncoder()

/** The event's id: the caller's, or a digest of its content so a retried batch is counted once. */
export async function eventId(e: TrackedEvent): Promise<string> {
  if (e.id !== undefined) return e.id
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify([e.unit, e.name, e.value ?? null, e.ts ?? null])))
  return `h:${[...new Uint8Array(digest, 0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/**
 * Splits events by the experiments whose metrics listen to them (running or paused, i.e. with a
 * live epoch), optionally restricted to the experiments an event names. Attribution to a variant
 * happens in the store, from the unit's sticky record: never from anything the client claims.
 */
export async function planEvents(snapshot: ConfigSnapshot, events: readonly TrackedEvent[], now: number): Promise<EventPlan> {
  const live = [...snapshot.experiments.values()].filter((c) => c.experiment.state === 'running' || c.experiment.state === 'paused')
  const batches = new Map<string, EventBatch>()
  const unmatched: EventPlan['unmatched'] = []
  const ids = await Promise.all(events.map(eventId))
  events.forEach((e, index) => {
    const ts = e.ts === undefined ? now : typeof e.ts === 'number' ? e.ts : Date.parse(e.ts)
    if (ts > now + FUTURE_SKEW_MS) {
      unmatched.push({ index, reason: 'stale_timestamp', message: `ts ${new Date(ts).toISOString()} is in the future` })
      return
    }
    const candidates = live.filter((c) => !e.experiments || e.experiments.includes(c.experiment.key))
    let matched = false
    for (const c of candidates) {
      const metrics = c.experiment.metrics.filter((m) => m.event === e.name)
      if (metrics.length === 0) continue
      matched = true
      const batch = batches.get(c.experiment.key) ?? newBatch(c)
      batches.set(c.experiment.key, batch)
      batch.events.push({ id: ids[index]!, unit: e.unit, value: e.value ?? 0, day: utcDay(ts), metrics: metrics.map((m) => m.key) })
      batch.indexes.push(index)
    }
    if (!matched) {
      const scope = e.experiments ? ` among ${e.experiments.join(', ')}` : ''
      unmatched.push({ index, reason: 'no_experiment', message: `no running experiment${scope} has a metric on event "${e.name}"` })
    }
  })
  return { batches: [...batches.values()], ids, unmatched }
}

function newBatch(c: CompiledExperiment): EventBatch {
  const metrics = c.experiment.metrics.map((m): MetricSpec => (m.cap === undefined ? { key: m.key, type: m.type } : { key: m.key, type: m.type, cap: m.cap }))
  return { experiment: c.experiment.key, epoch: c.experiment.epoch, metrics, events: [], indexes: [] }
}

const MESSAGES: Record<Exclude<EventOutcome, 'counted' | 'duplicate'>, string> = {
  not_exposed: 'the unit has no exposure in the current epoch of',
  earlier_epoch: 'the unit was first assigned before the last restart of',
}

/**
 * Folds per-experiment outcomes into the answer: an event is accepted when counted anywhere, a
 * duplicate when every experiment had seen its id, and otherwise ignored with the reason.
 */
export function summarise(plan: EventPlan, outcomes: Record<string, EventOutcome[]>, total: number): EventsResponse {
  const perEvent: { experiment: string; outcome: EventOutcome }[][] = Array.from({ length: total }, () => [])
  for (const batch of plan.batches) {
    const results = outcomes[batch.experiment] ?? []
    batch.indexes.forEach((index, i) => perEvent[index]!.push({ experiment: batch.experiment, outcome: results[i] ?? 'not_exposed' }))
  }
  const response: EventsResponse = { accepted: 0, duplicate: 0, ignored: [] }
  const unmatched = new Map(plan.unmatched.map((u) => [u.index, u]))
  // Precedence across experiments: counted anywhere, else already counted (duplicate), else the
  // most specific reason it could not count.
  perEvent.forEach((results, index) => {
    const id = plan.ids[index]!
    const early = unmatched.get(index)
    const has = (o: EventOutcome) => results.some((r) => r.outcome === o)
    if (early) response.ignored.push({ index, id, reason: early.reason, message: early.message })
    else if (has('counted')) response.accepted++
    else if (has('duplicate')) response.duplicate++
    else {
      const outcome = has('earlier_epoch') ? 'earlier_epoch' : 'not_exposed'
      const where = results.filter((r) => r.outcome === outcome).map((r) => `"${r.experiment}"`).join(', ')
      response.ignored.push({ index, id, reason: outcome, message: `${MESSAGES[outcome]} ${where}` })
    }
  })
  return response
}
