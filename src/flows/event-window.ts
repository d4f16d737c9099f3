import { ID_TTL_MS } from '../store/counter-store'

/** Events may be dated at most this far ahead of the Worker's clock (clients' clock skew). */
export const FUTURE_SKEW_MS = 5 * 60 * 1000

/**
 * The oldest an event may be. The stores remember an id for ID_TTL_MS after first seeing it, and
 * an event first seen at T may be dated up to T + FUTURE_SKEW_MS; so accepting ts ≥ now − (ID_TTL_MS
 * − FUTURE_SKEW_MS) guarantees that a replay old enough for its id to be forgotten is refused by
 * its date instead of counted twice. It also bounds the per-day counter rows an experiment gets.
 */
export const MAX_EVENT_AGE_MS = ID_TTL_MS - FUTURE_SKEW_MS

/** The last instant a JavaScript Date can hold (ECMA-262 "Time Values and Time Range"). */
export const MAX_DATE_MS = 8.64e15

/** Whether `ms` is a time a Date can hold, i.e. one with a UTC day to be counted on. */
export function isDateMs(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS
}

let warnedClamp = false

/**
 * The event age window of this deployment, in ms: `EVENT_MAX_AGE_SECONDS` (validated as a whole
 * number ≥ 1 by EnvSchema in src/env.ts) or MAX_EVENT_AGE_MS, clamped to MAX_EVENT_AGE_MS with a warning
 * because a wider window would count replays twice.
 */
export function eventMaxAgeMs(env: { EVENT_MAX_AGE_SECONDS?: string }): number {
  const seconds = Number(env.EVENT_MAX_AGE_SECONDS)
  if (!env.EVENT_MAX_AGE_SECONDS || !Number.isSafeInteger(seconds) || seconds < 1) return MAX_EVENT_AGE_MS
  if (seconds * 1000 > MAX_EVENT_AGE_MS) {
    if (!warnedClamp) console.warn(`EVENT_MAX_AGE_SECONDS=${seconds} is wider than event ids are remembered; using ${MAX_EVENT_AGE_MS / 1000} s`)
    warnedClamp = true
    return MAX_EVENT_AGE_MS
  }
  return seconds * 1000
}
