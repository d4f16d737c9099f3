import { Hono } from 'hono'
import { registerAdmin } from './admin/routes'
import { registerAssign } from './api/assign'
import { registerEvents } from './api/events'
import { registerExperiments } from './api/experiments'
import { registerHealth } from './api/health'
import { registerOpenApi } from './api/openapi'
import { registerResults } from './api/results'
import { registerSeed000 } from './compat/seed000/routes'
import { registerSeed001 } from './compat/seed001/routes'
import type { AppEnv } from './env'
import { errorResponse, handleError } from './http/errors'
import { services } from './services'
import { type SiteOptions, siteMiddleware } from './site/middleware'
import { registerTrackScript } from './site/track-script'

/**
 * Builds the edgesplit app: services, the native API, the seed adapters, then the site middleware
 * as the catch-all in front of the origin, and one error envelope for everything.
 * `options.site` lets tests put a fake origin behind the middleware.
 */
export function createApp(options: { site?: SiteOptions } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(services())
  registerAssign(app)
  registerEvents(app)
  registerExperiments(app)
  registerResults(app)
  registerSeed000(app)
  registerHealth(app)
  registerOpenApi(app)
  registerSeed001(app)
  registerTrackScript(app)
  registerAdmin(app)
  app.use(siteMiddleware(options.site))
  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}; see /docs`))
  app.onError(handleError)
  return app
}
