import { Hono } from 'hono'
import { registerAssign } from './api/assign'
import { registerEvents } from './api/events'
import { registerExperiments } from './api/experiments'
import { registerHealth } from './api/health'
import { registerOpenApi } from './api/openapi'
import type { AppEnv } from './env'
import { errorResponse, handleError } from './http/errors'
import { services } from './services'

/** Builds the edgesplit app: services, the native API, and one error envelope for everything. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(services())
  registerAssign(app)
  registerEvents(app)
  registerExperiments(app)
  registerHealth(app)
  registerOpenApi(app)
  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}; see /docs`))
  app.onError(handleError)
  return app
}
