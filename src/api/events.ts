import type { Hono } from 'hono'
import * as z from 'zod/mini'
import { parseOrThrow } from '../core/validate'
import type { AppEnv } from '../env'
import { readJson } from '../http/body'
import { errorResponse } from '../http/errors'
import { StoreUnavailableError } from '../store/counter-store'
import { planEvents, summarise } from './event-plan'
import { EventArraySchema, EventBatchSchema, EventSchema } from './events-schema'

/**
 * `POST /v1/events`: one event or a batch (≤ 500). The whole batch is validated before anything is
 * counted, then counted in one store round trip; 202 with accepted, duplicate and ignored counts.
 */
export function registerEvents(app: Hono<AppEnv>): void {
  app.post('/v1/events', async (c) => {
    const body = await readJson(c, z.unknown())
    const events = Array.isArray(body)
      ? parseOrThrow(EventArraySchema, body)
      : typeof body === 'object' && body !== null && 'events' in body
        ? parseOrThrow(EventBatchSchema, body).events
        : [parseOrThrow(EventSchema, body)]
    const { config, store } = c.var.services
    const plan = await planEvents(await config.snapshot(), events, Date.now())
    let outcomes = {}
    if (plan.batches.length) {
      try {
        outcomes = await store.recordEvents(plan.batches.map(({ indexes: _, ...batch }) => batch))
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error
        console.warn(`events: ${error.message}`)
        c.header('Retry-After', '1')
        return errorResponse(c, 503, 'store_unavailable', 'the counter store did not confirm this batch; retry the same batch: event ids (given, or derived from the content) make a retry count each event exactly once')
      }
    }
    return c.json(summarise(plan, outcomes, events.length), 202)
  })
}
