import type { MiddlewareHandler } from 'hono'
// hono/tiny (PatternRouter) instead of the default RegExpRouter + SmartRouter: 2.4 KiB less of the
// gzipped bundle, which sits at its 100 KiB budget; the table's ~40 routes are matched in order.
import { Hono } from 'hono/tiny'
import { demoOrigin } from './demo/site'
import type { AppEnv } from './http/app-env'
import { adminAuth } from './http/admin-auth'
import { errorResponse, handleError } from './http/errors'
import { isReservedPath, ROUTES } from './routes'
import { services } from './services'
import { type SiteOptions, siteMiddleware } from './site/middleware'

/**
 * Builds the edgesplit app: services, every route of the table (src/routes.ts) with the admin
 * guard exactly on its admin routes, then the site middleware as the catch-all in front of the
 * origin, and one error envelope for everything.
 * `options.site` lets tests put a fake origin behind the middleware.
 */
export function createApp(options: { site?: SiteOptions } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(services())
  const admin = adminAuth()
  for (const route of ROUTES) {
    const guards: MiddlewareHandler<AppEnv>[] = route.auth === 'admin' ? [admin, ...(route.before ?? [])] : [...(route.before ?? [])]
    app.on(route.method, [route.path], ...guards, route.handler)
  }
  // The demo origin is wired here, at the root: the site middleware knows no demo (ORIGIN_URL unset serves it).
  app.use(siteMiddleware({ demo: demoOrigin, ...options.site, reserved: isReservedPath }))
  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}; see /docs`))
  app.onError(handleError)
  return app
}
