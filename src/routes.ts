import { adminRoutes } from './admin/routes'
import { assignRoutes } from './api/assign'
import { eventsRoutes } from './api/events'
import { experimentsRoutes } from './api/experiments'
import { flagEvaluateRoutes } from './api/flag-evaluate'
import { flagsRoutes } from './api/flags'
import { healthRoutes } from './api/health'
import { openApiRoutes } from './api/openapi'
import { resultsRoutes } from './api/results'
import { seed000Routes } from './compat/seed000/routes'
import { seed001Routes } from './compat/seed001/routes'
import { reservedPaths } from './http/reserved-paths'
import type { Route } from './http/route'
import { trackScriptRoutes } from './site/track-script'

/**
 * Every route of the Worker, declared once: app registration and the admin guard (src/app.ts),
 * the site middleware's reserved paths and the OpenAPI document are all derived from this table.
 * Order matters only where a literal path and a param path overlap (`/admin/experiments/new`
 * before `/admin/experiments/:key`): the first registered handler answers.
 */
export const ROUTES: readonly Route[] = [
  ...assignRoutes,
  ...eventsRoutes,
  ...experimentsRoutes,
  ...resultsRoutes,
  ...flagEvaluateRoutes,
  ...flagsRoutes,
  ...seed000Routes,
  ...healthRoutes,
  ...openApiRoutes,
  ...seed001Routes,
  ...trackScriptRoutes,
  ...adminRoutes,
]

/** Whether a path belongs to the Worker's own routes (the site middleware leaves it alone). */
export const isReservedPath = reservedPaths(ROUTES.map((r) => r.path))
