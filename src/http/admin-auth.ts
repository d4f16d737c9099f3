import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env'
import { errorResponse } from './errors'

const encoder = new TextEncoder()

/** Compares two secrets in constant time (hashing first so lengths leak nothing either). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(a)), crypto.subtle.digest('SHA-256', encoder.encode(b))])
  return crypto.subtle.timingSafeEqual(ha, hb)
}

/**
 * Guards admin operations (SPEC): `Authorization: Bearer <ADMIN_TOKEN>`; with no token set they are
 * open only in development and otherwise refused with instructions.
 * @example app.use('/v1/experiments/*', adminAuth())
 */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuthGuard(c, next) {
    const { adminToken, environment } = c.var.services
    if (!adminToken) {
      if (environment === 'development') return next()
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
    return next()
  }
}
