import { adminDocs } from './admin/routes.docs'
import { assignDocs } from './api/assign.docs'
import { eventsDocs } from './api/events.docs'
import { experimentsDocs } from './api/experiments.docs'
import { flagEvaluateDocs } from './api/flag-evaluate.docs'
import { flagsDocs } from './api/flags.docs'
import { healthDocs } from './api/health.docs'
import { openApiDocs } from './api/openapi.docs'
import { resultsDocs } from './api/results.docs'
import { seed000Docs } from './compat/seed000/routes.docs'
import { seed001Docs } from './compat/seed001/routes.docs'
import type { RouteDocs } from './http/route'
import { trackScriptDocs } from './site/track-script.docs'

/**
 * The words of every route of src/routes.ts for the OpenAPI document, keyed by `"<METHOD> <path>"`.
 * Only the OpenAPI builder run by `npm run assets` (tools/static-assets.mjs) and the tests import
 * this: the Worker's entry never does, so the strings stay out of its size budget.
 */
export const ROUTE_DOCS: Readonly<Record<string, RouteDocs>> = {
  ...assignDocs,
  ...eventsDocs,
  ...experimentsDocs,
  ...resultsDocs,
  ...flagEvaluateDocs,
  ...flagsDocs,
  ...seed000Docs,
  ...healthDocs,
  ...openApiDocs,
  ...seed001Docs,
  ...trackScriptDocs,
  ...adminDocs,
}
