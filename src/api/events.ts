import * as z from 'zod/mini'
import { parseOrThrow } from '../core/validate'
import { readJson } from '../http/body'
import { errorResponse } from '../http/errors'
import { routes } from '../http/route'
import { StoreUnavailableError } from '../core/errors'
import { planEvents, summarise } from './event-plan'
import { eventMaxAgeMs } from './event-window'
import { EventArraySchema, EventBatchSchema, EventSchema, EventsRequestSchema, EventsResponseSchema, INVALID_REASONS } from './events-schema'

/**
 * `POST /v1/events`: one event or a batch (≤ 500). The whole batch is validated before anything is
 * counted, then counted in one store round trip; 202 with accepted, duplicate and ignored counts.
 * An event with an unbounded value or an impossible ts is ignored with its reason in a batch (the
 * rest still counts) and refused with 400 when it is the only event.
 */
export const eventsRoutes = routes({
  method: 'POST',
  path: '/v1/events',
  auth: 'public',
  tag: 'events',
  summary: 'Track one event or a batch (≤ 500); attributed server-side, idempotent on id (events without one are never deduplicated)',
  request: { body: { name: 'EventsRequest', schema: EventsRequestSchema } },
  response: {
    status: 202,
    description:
      'accepted, duplicate and ignored (with reasons: invalid_value when |value| > 1e12, stale_timestamp when ts is over 7 days old or 5 min ahead, invalid_timestamp when ts is no date; a lone event with invalid_value or invalid_timestamp is a 400 instead)',
    schema: { name: 'EventsResponse', schema: EventsResponseSchema },
  },
  handler: async (c) => {
    const body = await readJson(c, z.unknown())
    const isBatch = Array.isArray(body) || (typeof body === 'object' && body !== null && 'events' in body)
    const events = Array.isArray(body) ? parseOrThrow(EventArraySchema, body) : isBatch ? parseOrThrow(EventBatchSchema, body).events : [parseOrThrow(EventSchema, body)]
    const { config, store } = c.var.services
    const plan = planEvents(await config.snapshot(), events, Date.now(), eventMaxAgeMs(c.env))
    const invalid = isBatch ? undefined : plan.unmatched.find((u) => INVALID_REASONS.includes(u.reason))
    if (invalid) return errorResponse(c, 400, 'invalid_request', invalid.message)
    let outcomes = {}
    if (plan.batches.length) {
      try {
        outcomes = await store.recordEvents(plan.batches.map(({ indexes: _, ...batch }) => batch))
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error
        console.warn(`events: ${error.message}`)
        c.header('Retry-After', '1')
        return errorResponse(c, 503, 'store_unavailable', 'the counter store did not confirm this batch; retry the same batch: events sent with an id are counted exactly once (events without one may count twice)')
      }
    }
    return c.json(summarise(plan, outcomes, events.length), 202)
  },
})
