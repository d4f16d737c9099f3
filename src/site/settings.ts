import { compileGlob, type GlobMatcher } from '../core/pattern'

/** Where origin requests go: the built-in demo, a URL (host rewrite), or the request's own URL. */
export type OriginTarget = { kind: 'demo' } | { kind: 'url'; base: URL } | { kind: 'passthrough' }

/** The middleware's configuration, read from the deployment's variables once per isolate. */
export type SiteSettings = {
  origin: OriginTarget
  /** Only paths matching one of these are personalised (empty: every path). */
  include: readonly GlobMatcher[]
  /** Paths passed to the origin untouched: no id, no assignment, no injection. */
  exclude: readonly GlobMatcher[]
  uidCookie: string
  assignmentCookie: string
  qaCookie: string
  cookieDomain: string | undefined
  /** HMAC secret of the assignment cookie; null turns the cookie off. */
  cookieSecret: string | null
  /** The dashboard's own hostname (`ADMIN_HOST`): it serves no site pages. */
  adminHost: string | undefined
}

/** The variables the middleware reads (all optional; validated in src/services.ts). */
export type SiteVars = {
  ENVIRONMENT: string
  ORIGIN_URL?: string
  SITE_INCLUDE?: string
  SITE_EXCLUDE?: string
  COOKIE_SECRET?: string
  COOKIE_DOMAIN?: string
  UID_COOKIE_NAME?: string
  ASSIGNMENT_COOKIE_NAME?: string
  ADMIN_HOST?: string
}

// Public on purpose: it only guards `npm run dev` (ENVIRONMENT=development), where forging a cookie
// is harmless. Any other deployment (production, staging, preview, test) must bring its own secret.
const DEV_SECRET = 'edgesplit-development-cookie-secret'

let warnedNoSecret = false
const cache = new WeakMap<object, SiteSettings>()

/**
 * The site settings of a deployment, cached per isolate and environment. Without `COOKIE_SECRET`
 * the assignment cookie is skipped (warned once), never a failed request — except under
 * ENVIRONMENT=development, which signs with the public development secret.
 * @example siteSettings({ ENVIRONMENT: 'development' }).origin // { kind: 'demo' }
 */
export function siteSettings(vars: SiteVars): SiteSettings {
  let settings = cache.get(vars)
  if (settings) return settings
  const development = vars.ENVIRONMENT === 'development'
  const secret = vars.COOKIE_SECRET || (development ? DEV_SECRET : null)
  if (secret === null && !warnedNoSecret) {
    warnedNoSecret = true
    console.warn('site: COOKIE_SECRET is not set, so the signed assignment cookie is off (`npx wrangler secret put COOKIE_SECRET`)')
  }
  const uidCookie = vars.UID_COOKIE_NAME || 'edgesplit_uid'
  settings = {
    origin: originTarget(vars.ORIGIN_URL),
    include: patterns(vars.SITE_INCLUDE),
    exclude: patterns(vars.SITE_EXCLUDE),
    uidCookie,
    assignmentCookie: vars.ASSIGNMENT_COOKIE_NAME || 'edgesplit_asg',
    qaCookie: 'edgesplit_qa',
    cookieDomain: vars.COOKIE_DOMAIN || undefined,
    cookieSecret: secret,
    adminHost: vars.ADMIN_HOST || undefined,
  }
  cache.set(vars, settings)
  return settings
}

/**
 * How the middleware treats a path: leave it to the Worker's routes (`reserved`, derived from the
 * route table in src/routes.ts), proxy it plainly, or personalise it.
 */
export function pathMode(settings: SiteSettings, path: string, reserved: (path: string) => boolean): 'reserved' | 'plain' | 'site' {
  if (reserved(path)) return 'reserved'
  if (settings.exclude.some((r) => r.test(path))) return 'plain'
  if (settings.include.length && !settings.include.some((r) => r.test(path))) return 'plain'
  return 'site'
}

function originTarget(value: string | undefined): OriginTarget {
  if (!value) return { kind: 'demo' }
  if (value === 'passthrough') return { kind: 'passthrough' }
  return { kind: 'url', base: new URL(value) }
}

/** Comma-separated glob patterns (`/static/*, /blog/*`). */
function patterns(value: string | undefined): GlobMatcher[] {
  return (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(compileGlob)
}
