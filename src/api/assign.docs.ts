import type { RouteDocs } from '../http/route'
import { TARGETING_QUERY_DOCS } from './unit-request.docs'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in assign.ts: read by `npm run assets` only, never bundled into the Worker. */
export const assignDocs: Record<string, RouteDocs> = {
  'GET /v1/assign': {
    tag: 'assignment',
    summary: 'Assign a unit to every active experiment (or the ones named)',
    query: {
      unit: 'the user or device id',
      experiments: 'comma-separated experiment keys (default: all running, paused or rolled out)',
      force: 'QA override "experiment:variant" (only where the experiment allows it)',
      ...TARGETING_QUERY_DOCS,
      track: 'false: assign without logging exposures',
      confirm: '1: write exposures before answering; `logged` lists those stored',
    },
    response: 'assignments keyed by experiment',
  },
  'POST /v1/assign': {
    tag: 'assignment',
    summary: 'Assign a unit (JSON body, typed attributes)',
    response: 'assignments keyed by experiment',
  },
}
