import * as z from 'zod/mini'
import { shortText } from '../../core/short-text'
import type { TrackedEvent } from '../../core/event-schema'
import { isDateMs } from '../../flows/event-window'
import { logWithGroups } from '../../flows/logged-groups'
import { readJson } from '../../http/body'
import { requestCookies, validUid } from '../../http/cookies'
import { routes } from '../../http/route'
import { SeedEventsListSchema, SeedOkSchema } from './response-schemas'
import { seedError, seedErrors } from './shape'

const id = z.string().check(z.minLength(1), z.maxLength(256, 'must be at most 256 characters'))

/** Seed 001's event: `{ts, device_id | deviceId, source, event, exp_group, params}`. */
const SeedEventSchema = z.looseObject({
  ts: z.optional(z.union([z.string().check(z.maxLength(64)), z.number()])),
  device_id: z.optional(z.nullable(id)),
  deviceId: z.optional(z.nullable(id)),
  source: z.optional(z.nullable(z.string().check(z.maxLength(32)))),
  event: shortText(64),
  exp_group: z.optional(z.unknown()),
  params: z.optional(z.unknown()),
})

/** Seed events are small; a larger body is refused before it is read. */
const MAX_SEED_EVENT_BYTES = 16_384

/**
 * `POST /events` keeps the raw event in the recent-events log and, for browser events, counts it
 * like `/v1/events` (unit = the device id, or the visitor's id cookie; name = `event`); the
 * client's `exp_group` is neither used for attribution nor logged (the log shows the server's groups). `GET /events` lists the log
 * (admin: it holds visitors' ids).
 */
export const seedEventsRoutes = routes(
  {
    method: 'POST',
    path: '/events',
    auth: 'public',
    request: { body: { name: 'Seed001Event', schema: SeedEventSchema } },
    response: { status: 200, schema: { name: 'Seed001Ok', schema: SeedOkSchema } },
    handler: (c) =>
      seedErrors(c, async () => {
        const body = await readJson(c, SeedEventSchema, MAX_SEED_EVENT_BYTES)
        const { ingestion, eventLog, background, site, config, store } = c.var.services
        const unit = body.device_id ?? body.deviceId ?? validUid(requestCookies(c.req.raw)[site.uidCookie]) ?? null
        const now = Date.now()
        const ts = body.ts === undefined || body.ts === '' ? undefined : seedTime(body.ts)
        if (ts === null) return seedError(c, 400, `ts: ${JSON.stringify(body.ts)} is not a date (ISO 8601, or milliseconds since 1970)`)
        // exp_group is the server's groups of the unit, never the one the page claims.
        background(
          logWithGroups(
            { config, store, eventLog },
            [{ ts: typeof body.ts === 'string' ? body.ts : new Date(ts ?? now).toISOString(), device_id: unit, source: body.source ?? null, event: body.event, params: body.params ?? {} }],
            now,
          ),
        )
        if (unit === null || body.source === 'backend') return c.json({ status: 'ok' })

        // Seed events carry no id, so each gets a random one (a repeated click is a second click);
        // one dated outside the accepted window is logged above but not counted. A store that does
        // not confirm is the ingestion flow's retryable 503, in seed 001's error body.
        const event: TrackedEvent = ts === undefined ? { unit, name: body.event } : { unit, name: body.event, ts }
        await ingestion.ingest([event], { now })
        return c.json({ status: 'ok' })
      }),
  },
  {
    method: 'GET',
    path: '/events',
    auth: 'admin',
    response: { status: 200, schema: { name: 'Seed001Events', schema: SeedEventsListSchema } },
    handler: async (c) => c.json(await c.var.services.eventLog.list()),
  },
)

/**
 * The event's time in ms, or null when it is no date. Seed 001 dates events in ISO 8601, with `Z`
 * from browsers and without a zone from Python (UTC); a number is milliseconds since 1970.
 */
function seedTime(ts: string | number): number | null {
  const ms = typeof ts === 'number' ? ts : Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(ts) ? ts : `${ts}Z`)
  return isDateMs(ms) ? ms : null
}
