import * as z from 'zod/mini'

/**
 * A raw event as seed 001's `GET /events` lists it (docs/compatibility.md, "Seed 001"): the shape its
 * page posts, `exp_group` being the server's groups of the unit (`{experiment: variant}`) or null.
 */
export const RawEventSchema = z.object({
  ts: z.string(),
  device_id: z.nullable(z.string()),
  source: z.nullable(z.string()),
  event: z.string(),
  exp_group: z.unknown(),
  params: z.unknown(),
})
export type RawEvent = z.infer<typeof RawEventSchema>

/** The largest `params` or `exp_group` kept as sent, in bytes of JSON; larger ones are summarised. */
export const MAX_FIELD_BYTES = 1024

const encoder = new TextEncoder()

/**
 * The event as the log stores it: strings cut to the lengths the seed endpoints accept, and a
 * `params` or `exp_group` over 1 KB of JSON replaced by `{truncated: true, bytes}`, so a row (and
 * the 1000-row listing) stays small whatever a caller sends.
 */
export function boundEvent(e: RawEvent): RawEvent {
  return {
    ts: String(e.ts).slice(0, 64),
    device_id: e.device_id === null ? null : String(e.device_id).slice(0, 256),
    source: e.source === null ? null : String(e.source).slice(0, 32),
    event: String(e.event).slice(0, 64),
    exp_group: boundField(e.exp_group ?? null),
    params: boundField(e.params ?? {}),
  }
}

function boundField(value: unknown): unknown {
  const json = JSON.stringify(value)
  if (json === undefined) return null
  const bytes = encoder.encode(json).length
  return bytes <= MAX_FIELD_BYTES ? value : { truncated: true, bytes }
}

/** A stored row as listed: rows written before the log used seed 001's `device_id` name it `deviceId`. */
export function listedEvent(row: Record<string, unknown>): RawEvent {
  if (!('deviceId' in row)) return row as RawEvent
  const { deviceId, ...rest } = row
  return { ...rest, device_id: deviceId } as RawEvent
}
