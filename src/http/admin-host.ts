import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env'
import { errorResponse } from './errors'

/** A hostname compared as DNS does: case-insensitive, a trailing dot ignored. */
function normalise(host: string): string {
  return host.toLowerCase().replace(/\.$/, '')
}

/**
 * Whether a request is on the dashboard's own host (`ADMIN_HOST`); false when none is configured.
 * @example isAdminHost('admin.example.com', new URL('https://Admin.Example.com./admin')) // true
 */
export function isAdminHost(adminHost: string | undefined, url: URL): boolean {
  return !!adminHost && normalise(url.hostname) === normalise(adminHost)
}

/**
 * Serves the dashboard's pages only on `ADMIN_HOST` when it is set: anywhere else they are a 404,
 * so the site's pages, whose scripts share their origin, never hold the dashboard or its token
 * (sessionStorage is per origin). Unset, the pages answer on every host (local development).
 * @example { path: '/admin', before: [adminHostOnly()], … } // a dashboard page's route (src/admin/routes.ts)
 */
export function adminHostOnly(): MiddlewareHandler<AppEnv> {
  return async function adminHost(c, next) {
    const { adminHost } = c.var.services.site
    if (adminHost && !isAdminHost(adminHost, new URL(c.req.url))) {
      // Says nothing of where the dashboard lives: the site's visitors have no use for it.
      return errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}; see /docs`)
    }
    await next()
  }
}
