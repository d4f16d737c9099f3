import type { TrackedEvent } from '../core/event-schema'
import type { ConfigCache } from '../config/config-cache'
import type { CounterStore } from '../store/counter-store'
import type { RawEvent, RecentEvents } from './event-log'

/** At most this many events of one request enter the recent-events log (a batch may hold 500). */
export const MAX_LOGGED_EVENTS = 50
/** At most this many distinct units of one request get their groups looked up; the rest log `exp_group: null`. */
export const MAX_LOOKED_UP_UNITS = 10

/** What logging with the server's groups needs: the live config, the counter store and the log. */
export type LoggedGroupsDeps = { config: ConfigCache; store: CounterStore; eventLog: RecentEvents }

/**
 * The variants the server assigned `unit` in every live (running or paused) experiment, by key, read
 * from its sticky records in one store round trip; only records of the current epoch count, as for
 * attribution (docs/design.md, "Counting"). Null when it has none or the store does not answer:
 * the log is best effort and never carries a group the client claimed.
 */
export async function serverGroups(deps: Omit<LoggedGroupsDeps, 'eventLog'>, unit: string): Promise<Record<string, string> | null> {
  const live = [...(await deps.config.snapshot()).experiments.values()].filter((c) => c.experiment.state === 'running' || c.experiment.state === 'paused')
  if (live.length === 0) return null
  try {
    const records = await deps.store.getSticky(live.map((c) => c.counterKey), unit)
    const groups: Record<string, string> = {}
    for (const c of live) {
      const r = records[c.counterKey]
      // A store records a write from an isolate with a stale epoch under the newer one, so a record may be ahead of this config.
      if (r && r.epoch >= c.experiment.epoch) groups[c.experiment.key] = r.variant
    }
    return Object.keys(groups).length > 0 ? groups : null
  } catch (error) {
    console.warn(`event log: ${(error as Error).message}; logging without groups`)
    return null
  }
}

/**
 * Adds raw events to seed 001's recent-events log with `exp_group` set to the server's groups of
 * each event's unit (src/flows/logged-groups.ts, `serverGroups`); meant for `waitUntil`. Bounded per
 * request: the first MAX_LOGGED_EVENTS events, groups for the first MAX_LOOKED_UP_UNITS units.
 */
export async function logWithGroups(deps: LoggedGroupsDeps, events: readonly Omit<RawEvent, 'exp_group'>[], now = Date.now()): Promise<void> {
  const kept = events.slice(0, MAX_LOGGED_EVENTS)
  const units = [...new Set(kept.map((e) => e.device_id).filter((u): u is string => u !== null))].slice(0, MAX_LOOKED_UP_UNITS)
  const groups = new Map(await Promise.all(units.map(async (u) => [u, await serverGroups(deps, u)] as const)))
  await Promise.all(kept.map((e) => deps.eventLog.add({ ...e, exp_group: (e.device_id !== null && groups.get(e.device_id)) || null }, now)))
}

/**
 * Native events (`/v1/events`, the tracking script) as seed 001 lists them: `ts` in ISO 8601 (now
 * when absent), `event` the name, `params` the value when one was sent; `source` says who sent it.
 */
export function rawTracked(events: readonly TrackedEvent[], source: (e: TrackedEvent) => string, now: number): Omit<RawEvent, 'exp_group'>[] {
  return events.map((e) => {
    const ms = e.ts === undefined ? now : typeof e.ts === 'number' ? e.ts : Date.parse(e.ts)
    return {
      ts: Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(e.ts),
      device_id: e.unit,
      source: source(e),
      event: e.name,
      params: e.value === undefined ? {} : { value: e.value },
    }
  })
}
