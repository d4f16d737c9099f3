import * as z from 'zod/mini'
import { EventSchema } from '../core/event-schema'

/** Most events one request may carry. */
export const MAX_EVENTS_PER_BATCH = 500

const batch = z.array(EventSchema).check(z.minLength(1, 'send at least one event'), z.maxLength(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events per batch`))

/** A batch as `{ "events": [...] }`. */
export const EventBatchSchema = z.strictObject({ events: batch })

/** A batch as a bare array. */
export const EventArraySchema = batch

/**
 * Body of `POST /v1/events`: one event, an array of events, or `{ "events": [...] }`. Kept as a
 * union for the OpenAPI document; the handler picks the branch by shape so errors name the field.
 */
export const EventsRequestSchema = z.union([EventSchema, EventArraySchema, EventBatchSchema])
