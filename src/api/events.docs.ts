import type { RouteDocs } from '../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in events.ts: read by `npm run assets` only, never bundled into the Worker. */
export const eventsDocs: Record<string, RouteDocs> = {
  'POST /v1/events': {
    tag: 'events',
    summary: 'Track one event or a batch (≤ 500); attributed server-side, idempotent on id (events without one are never deduplicated)',
    response: 'accepted, duplicate and ignored (with reasons: invalid_value when |value| > 1e12, stale_timestamp when ts is over 7 days old or 5 min ahead, invalid_timestamp when ts is no date; a lone event with invalid_value or invalid_timestamp is a 400 instead)',
  },
}
