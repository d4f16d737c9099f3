import * as z from 'zod/mini'
import { EventSchema, EventsResponseSchema } from '../core/event-schema'
import { parseOrThrow } from '../core/validate'
import { logWithGroups, rawTracked } from '../flows/logged-groups'
import { readJson } from '../http/body'
import { requestCookies } from '../http/cookies'
import { routes } from '../http/route'
import { EventArraySchema, EventBatchSchema, EventsRequestSchema } from './events-schema'

/**
 * `POST /v1/events`: one event or a batch (≤ 500). The whole batch is validated before anything is
 * counted, then counted in one store round trip; 202 with accepted, duplicate and ignored counts.
 * An event with an unbounded value or an impossible ts is ignored with its reason in a batch (the
 * rest still counts) and refused with 400 when it is the only event. The events also enter seed
 * 001's recent-events log after the response, with the server's groups (src/flows/logged-groups.ts).
 */
export const eventsRoutes = routes({
  method: 'POST',
  path: '/v1/events',
  auth: 'public',
  request: { body: { name: 'EventsRequest', schema: EventsRequestSchema } },
  response: { status: 202, schema: { name: 'EventsResponse', schema: EventsResponseSchema } },
  handler: async (c) => {
    const body = await readJson(c, z.unknown())
    const isBatch = Array.isArray(body) || (typeof body === 'object' && body !== null && 'events' in body)
    const events = Array.isArray(body) ? parseOrThrow(EventArraySchema, body) : isBatch ? parseOrThrow(EventBatchSchema, body).events : [parseOrThrow(EventSchema, body)]
    const { ingestion, config, store, eventLog, background, site } = c.var.services
    const now = Date.now()
    const answer = await ingestion.ingest(events, { single: !isBatch, now })
    // Seed 001's `GET /events` lists these too, after the response; sent by the visitor's own page when its id cookie is the unit.
    const visitor = requestCookies(c.req.raw)[site.uidCookie]
    background(logWithGroups({ config, store, eventLog }, rawTracked(events, (e) => (e.unit === visitor ? 'browser' : 'api'), now), now))
    return c.json(answer, 202)
  },
})
