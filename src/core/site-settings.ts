import type { GlobMatcher } from './pattern'

/** Where origin requests go: the built-in demo, a URL (host rewrite), or the request's own URL. */
export type OriginTarget = { kind: 'demo' } | { kind: 'url'; base: URL } | { kind: 'passthrough' }

/**
 * The site middleware's configuration, built from the deployment's parsed variables once per
 * isolate (src/services.ts) and read from `c.var.services.site`.
 */
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
