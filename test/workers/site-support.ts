// Shared by the site middleware tests: the app with a fake origin behind it, and cookie helpers.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { createApp } from '../../src/app'
import type { SiteOptions } from '../../src/site/middleware'
import { env } from './helpers'

/** What the fake origin saw. */
export type OriginCall = { url: string; method: string; redirect: string; headers: Record<string, string> }

/**
 * A fake origin: records each request and answers with `respond` (default: an HTML page that
 * echoes nothing). Use with `visit(..., { origin })`.
 */
export function fakeOrigin(respond: (request: Request) => Response | Promise<Response> = () => html('<html><head><title>t</title></head><body><h1>hi</h1></body></html>')) {
  const calls: OriginCall[] = []
  const fetch = async (request: Request) => {
    calls.push({ url: request.url, method: request.method, redirect: request.redirect, headers: Object.fromEntries(request.headers) })
    return respond(request)
  }
  return { calls, fetch }
}

/** An HTML response. */
export function html(body: string, init: ResponseInit = {}): Response {
  return new Response(body, { ...init, headers: { 'content-type': 'text/html; charset=utf-8', ...(init.headers as Record<string, string> | undefined) } })
}

/** Headers of a browser navigation. */
export const NAVIGATION = { accept: 'text/html,application/xhtml+xml', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36' }

type VisitInit = Omit<RequestInit, 'headers'> & { headers?: Record<string, string | null>; vars?: Partial<Env>; origin?: { fetch: SiteOptions['fetch'] }; base?: string; site?: SiteOptions }

/**
 * Requests a page through the whole app, with a fake origin when given (ORIGIN_URL then points at
 * https://origin.test), and waits for background work (exposure logging).
 */
export async function visit(path: string, init: VisitInit = {}): Promise<Response> {
  const { vars, origin, base = 'http://site.test', site, ...rest } = init
  const bindings = { ...env, ...(origin ? { ORIGIN_URL: 'https://origin.test' } : {}), ...vars } as Env
  const app = createApp({ site: { ...site, fetch: origin?.fetch ?? site?.fetch } })
  const ctx = createExecutionContext()
  // A header given as null is left out (e.g. a client that sends no Sec-Fetch-Dest).
  const headers = Object.entries({ ...NAVIGATION, ...(rest.headers as Record<string, string | null> | undefined) }).filter(([, v]) => v != null) as [string, string][]
  const res = await app.fetch(new Request(`${base}${path}`, { ...rest, headers }), bindings, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** The `Set-Cookie` headers of a response, by cookie name. */
export function setCookies(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of res.headers.getSetCookie()) out[line.slice(0, line.indexOf('='))] = line
  return out
}

/** A cookie's value from a `Set-Cookie` line. */
export function cookieValue(line: string | undefined): string | undefined {
  return line?.slice(line.indexOf('=') + 1).split(';')[0]
}

/** The `window.edgesplit` object injected into a page. */
export function pageData(body: string): { unit: string; assignments: Record<string, string>; flags?: Record<string, unknown> } {
  const m = /window\.edgesplit=(\{.*?\});<\/script>/.exec(body)
  if (!m) throw new Error(`no window.edgesplit in:\n${body.slice(0, 500)}`)
  return JSON.parse(m[1]!)
}
