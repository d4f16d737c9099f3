import type { RouteDocs } from '../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in health.ts: read by `npm run assets` only, never bundled into the Worker. */
export const healthDocs: Record<string, RouteDocs> = {
  'GET /health': {
    tag: 'operations',
    summary: 'Liveness and config visibility',
    query: {
      deep: '1 (admin token required): compare KV with the latest config, republish if behind',
    },
    response: 'ok, the environment, how many experiments this isolate sees and which are broken',
  },
}
