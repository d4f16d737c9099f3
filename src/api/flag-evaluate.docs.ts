import type { RouteDocs } from '../http/route'
import { TARGETING_QUERY_DOCS } from './unit-request.docs'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in flag-evaluate.ts: read by `npm run assets` only, never bundled into the Worker. */
export const flagEvaluateDocs: Record<string, RouteDocs> = {
  'GET /v1/flags': {
    tag: 'flags',
    summary: 'Evaluate every flag (or the ones named) for a unit',
    query: {
      unit: 'the user or device id',
      flags: 'comma-separated flag keys (default: all)',
      force: 'QA override "experiment:variant" for experiment rules (only where the experiment allows it)',
      ...TARGETING_QUERY_DOCS,
      track: 'false: evaluate without logging the exposures of experiment rules',
    },
    response: 'one result per flag (value and reason), keyed by flag',
  },
  'POST /v1/flags': {
    tag: 'flags',
    summary: 'Evaluate flags for a unit (JSON body, typed attributes)',
    response: 'one result per flag (value and reason), keyed by flag',
  },
}
