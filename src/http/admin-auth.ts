import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env'
import { errorResponse } from './errors'

const encoder = new TextEncoder()

/** Compares two secrets in constant time (hashing first so lengths leak nothing either). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(a)), crypto.subtle.digest('SHA-256', encoder.encode(b))])
  return crypto.subtle.timingSafeEqual(ha, hb)
}

/**
 * Guards admin operations (docs/admin.md): `Authorization: Bearer <ADMIN_TOKEN>`; with no token set they are
 * open only in development and otherwise refused with instructions. Writes are also checked
 * against cross-site request forgery, in every environment (`crossSite`, `jsonOrEmpty`).
 * @example app.on('GET', ['/v1/experiments'], adminAuth(), handler) // src/app.ts adds it to every auth: 'admin' route
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuthGuard(c, next) {
    const write = c.req.method !== 'GET' && c.req.method !== 'HEAD'
    if (write && crossSite(c.req.raw)) {
      return errorResponse(c, 403, 'cross_site', 'admin changes must come from this origin (the dashboard, or a client that sends no Origin); this request came from another site')
    }
    const refused = await authRefusal(c)
    if (refused) return refused
    if (write && !jsonOrEmpty(c.req.raw)) {
      return errorResponse(c, 415, 'unsupported_media_type', `admin changes take JSON: send "Content-Type: application/json" (got "${c.req.header('content-type') ?? 'no content type'}")`)
    }
    return next()
  }
}

/**
 * True when a browser says the request came from another site. A page can make any browser send a
 * POST with a text/plain body (`mode: 'no-cors'`, or a form) to the admin API, which is open
 * without a token under `npm run dev`; such requests always carry `Sec-Fetch-Site` (other than
 * same-origin/none) or an `Origin` that is not ours. Clients that are not browsers send neither.
 */
function crossSite(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site')
  if (site !== null && site !== 'same-origin' && site !== 'none') return true
  const origin = request.headers.get('origin')
  return origin !== null && origin !== new URL(request.url).origin
}

/**
 * True for a JSON body or no body. JSON cannot be sent cross-site without a CORS preflight (which
 * the admin API never grants), so refusing every other type closes the simple-request route.
 */
function jsonOrEmpty(request: Request): boolean {
  const type = request.headers.get('content-type')
  if (type !== null) return /^application\/(.+\+)?json\s*(;|$)/i.test(type)
  const length = request.headers.get('content-length')
  return length === null ? request.body === null : Number(length) === 0
}

/** The refusal for a request without the admin token (none in development when no token is set). */
export async function authRefusal(c: Context<AppEnv>): Promise<Response | undefined> {
  const { adminToken, environment } = c.var.services
  if (!adminToken) {
    if (environment === 'development') return undefined
    return errorResponse(
      c,
      403,
      'admin_token_not_set',
      'admin operations are disabled because ADMIN_TOKEN is not set: run `npx wrangler secret put ADMIN_TOKEN` (or use ENVIRONMENT=development locally)',
    )
  }
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(.+)$/i.exec(header)
  if (!match || !(await secretsEqual(match[1]!.trim(), adminToken))) {
    c.header('WWW-Authenticate', 'Bearer realm="edgesplit admin"')
    return errorResponse(c, 401, 'unauthorized', match ? 'the admin token is wrong' : 'admin operations need "Authorization: Bearer <ADMIN_TOKEN>"')
  }
  return undefined
}
