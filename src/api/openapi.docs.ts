import type { RouteDocs } from '../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in openapi.ts: read by `npm run assets` only, never bundled into the Worker. */
export const openApiDocs: Record<string, RouteDocs> = {
  'GET /openapi.json': {
    tag: 'operations',
    summary: 'This document',
    response: 'OpenAPI 3.1',
  },
  'GET /docs': {
    tag: 'operations',
    summary: 'This document, as a page',
    response: 'the API reference page',
  },
}
