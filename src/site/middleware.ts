import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http/app-env'
import { isAdminHost } from '../http/admin-host'
import { newVisitor } from '../flows/new-visitor'
import { requestCookies } from '../http/cookies'
import { errorResponse } from '../http/errors'
import { ONE_YEAR, setCookie, type CookieScope } from './cookies'
import { injectIntoPage } from './inject'
import { flagsHeader, visitorFlags } from './flags'
import { fetchOrigin, type OriginFetch, originRequest } from './origin'
import { badPath, unsafePathReason } from './origin-path'
import { pathMode, type SiteSettings } from './settings'
import { ACK_WAIT_MS, acknowledgedWithin } from './exposure-ack'
import { assignmentCookie, assignVisitor, type Visitor } from './visitor'

/** Options of the site middleware; every one has a production default. */
export type SiteOptions = {
  /** Reaches a real origin (default: `fetch`). */
  fetch?: OriginFetch
  /**
   * The in-process origin used when `ORIGIN_URL` is unset (src/app.ts passes the demo site);
   * without one, such requests get the origin-unavailable answer.
   */
  demo?: OriginFetch
  /** Makes a new visitor id (default: a time-ordered UUIDv7 on the shard of the isolate's confirm window, src/flows/new-visitor.ts). */
  generateId?: () => string
  /** The clock exposures are dated by. */
  now?: () => number
  /** The Worker's own paths, left to its routes (src/app.ts passes the route table's; default: none). */
  reserved?: (path: string) => boolean
  /** How long a page waits for its exposure write once the origin has answered (default ACK_WAIT_MS). */
  ackWaitMs?: number
}

/**
 * The middleware in front of a site: for every path that is not the Worker's own, it gives the
 * visitor an id, assigns every running experiment that targets the request, tells the origin (two
 * headers) and the page (`window.edgesplit` plus the tracking script, streamed in), remembers the
 * assignments in cookies, keeps personalised HTML out of shared caches, and writes a page view's
 * exposures beside the origin fetch, marking them in the cookie when the store acknowledged them in
 * time. Non-HTML passes through untouched, in one origin fetch. Register it last.
 * @example app.use(siteMiddleware())
 */
export function siteMiddleware(options: SiteOptions = {}): MiddlewareHandler<AppEnv> {
  const network: OriginFetch = options.fetch ?? ((request) => fetch(request))
  const now = options.now ?? Date.now
  const demo: OriginFetch = options.demo ?? (async () => Promise.reject(new Error('ORIGIN_URL is unset and no demo origin is wired')))
  const reserved = options.reserved ?? (() => false)
  const ackWaitMs = options.ackWaitMs ?? ACK_WAIT_MS

  return async function site(c, next) {
    const request = c.req.raw
    const url = new URL(request.url)
    // c.get, not c.var: Hono's `var` copies every variable into a new object on each read.
    const services = c.get('services')
    const settings = services.site
    const mode = pathMode(settings, url.pathname, reserved)
    if (mode === 'reserved') return next()
    // The dashboard's own host serves no site pages: origin scripts there could read its token.
    if (isAdminHost(settings.adminHost, url)) return errorResponse(c, 404, 'not_found', 'this host serves the admin dashboard and the API only; see /admin')
    // Refused before anything is assigned or fetched: such a path could take the proxy to another host.
    const unsafe = unsafePathReason(url.pathname)
    if (unsafe) throw badPath(unsafe)
    const fetcher = settings.origin.kind === 'demo' ? demo : network
    const pass = () => fetchOrigin(fetcher, originRequest(request, settings.origin, null, url), settings.origin, url.origin)
    if (mode === 'plain') return pass()

    const { config, assignment, background } = services
    const cookies = requestCookies(request)
    const snapshot = await config.snapshot()
    let visitor: Visitor
    try {
      visitor = await assignVisitor(request, url, cookies, settings, snapshot, assignment, options.generateId ?? (() => newVisitor(snapshot)))
    } catch (error) {
      // Experimentation must never take the site down: serve it unpersonalised.
      console.error(`site: assignment failed, passing through: ${(error as Error)?.message ?? error}`)
      return pass()
    }
    // Flags never take the page down either: on failure the page goes without them.
    const flags = await visitorFlags(services.evaluateFlags, request, url, visitor, snapshot).catch((error: unknown) => void console.error(`site: flags failed: ${(error as Error)?.message ?? error}`))
    const extras = { unit: visitor.unit, assignments: visitor.header, path: visitor.rewrite, flags: flags && flagsHeader(flags) }
    const fetched = fetchOrigin(fetcher, originRequest(request, settings.origin, extras, url), settings.origin, url.origin)
    // A page view's exposures are written beside the origin fetch, whatever the origin then answers:
    // the unit was assigned and the origin told (docs/design.md, "Counting"). The fetch goes first:
    // the write waits for its answer, or for the confirm window (src/flows/exposure-buffer.ts).
    const confirmed = isPageView(request) && !visitor.bot ? assignment.confirm({ unit: visitor.unit, snapshot, assignments: visitor.unexposed, context: visitor.context, after: fetched }, now()) : null
    background(confirmed && confirmed.write)
    const response = await fetched
    const page = response.status >= 200 && response.status < 300 && isHtml(response)
    // A page view that counted (a 404, a redirect, a PDF) still gets the id and the records it was
    // counted under, or the visitor's next page view would be counted again under a new id.
    if (!page && confirmed === null) return response

    const cookie = await assignmentCookie(visitor, await acknowledgedWithin(confirmed && confirmed.acked, ackWaitMs))
    // One copy of the origin's response: the injector's when the page gets the tags, else a plain one.
    const out =
      page && isDocument(request) && response.body
        ? await injectIntoPage(response, { unit: visitor.unit, assignments: Object.fromEntries(visitor.assignments.map((a) => [a.experiment, a.variant])), ...(flags ? { flags } : {}) })
        : new Response(response.body, response)
    personalise(out.headers, visitor.unit, cookie, visitor.qaCookie, settings, { secure: url.protocol === 'https:', domain: settings.cookieDomain }, page)
    return out
  }
}

/**
 * Cookies, and the headers that keep one visitor's variant (and its cookies) out of everyone else's
 * caches. `page`: the body is HTML the injector may have changed, so the origin's validators and
 * length no longer describe it; any other answer keeps them.
 */
function personalise(headers: Headers, unit: string, assignments: string | undefined, qa: string | null | undefined, settings: SiteSettings, scope: CookieScope, page: boolean): void {
  headers.append('set-cookie', setCookie(settings.uidCookie, unit, ONE_YEAR, scope))
  if (assignments !== undefined) headers.append('set-cookie', setCookie(settings.assignmentCookie, assignments, ONE_YEAR, scope, true))
  if (qa !== undefined) headers.append('set-cookie', setCookie(settings.qaCookie, qa ?? '', qa === null ? 0 : null, scope))
  // The answer now sets cookies: browsers may keep it, shared caches may not.
  const noStore = /\bno-store\b/i.test(headers.get('cache-control') ?? '')
  headers.set('cache-control', noStore ? 'private, no-store' : 'private, no-cache')
  if (!page) return
  headers.delete('etag')
  headers.delete('last-modified')
  headers.delete('content-length')
}

function isHtml(response: Response): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(response.headers.get('content-type') ?? '')
}

/** A page the browser shows (not a fetch() of an HTML fragment): the tags are injected there. */
function isDocument(request: Request): boolean {
  const dest = request.headers.get('sec-fetch-dest')
  return !dest || dest === 'document' || dest === 'iframe' || dest === 'frame'
}

/** A top-level GET navigation: the only requests that write exposures. */
function isPageView(request: Request): boolean {
  if (request.method !== 'GET') return false
  const dest = request.headers.get('sec-fetch-dest')
  if (dest) return dest === 'document'
  return (request.headers.get('accept') ?? '').includes('text/html')
}
