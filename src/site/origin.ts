import { ASSIGNMENTS_HEADER, UNIT_HEADER } from '../core/assignment-header'
import { FLAGS_HEADER } from './flags'
import { originUrl } from './origin-path'
import type { OriginTarget } from './settings'

/** Answers an origin request: the network, or the built-in demo site in-process. */
export type OriginFetch = (request: Request) => Promise<Response>

/** What the origin request carries beyond the visitor's own request. */
export type OriginExtras = { unit: string; assignments: string; path?: string; flags?: string }

/**
 * The request to send to the origin: the visitor's request, pointed at the origin (with `path`
 * when a split-URL variant rewrites it; see origin-path.ts, which refuses any path that could
 * leave it), stripped of any `x-edgesplit-*` header the client sent, and carrying ours. Redirects
 * come back to the visitor rather than being followed here. `url` is the request's URL when the
 * caller has parsed it already (parsing showed in the site profile).
 */
export function originRequest(request: Request, target: OriginTarget, extras: OriginExtras | null, url: URL = new URL(request.url)): Request {
  const destination = originUrl(target, url, extras?.path)
  const headers = new Headers(request.headers)
  for (const name of [...headers.keys()]) if (name.startsWith('x-edgesplit-')) headers.delete(name)
  if (extras) {
    headers.set(UNIT_HEADER, extras.unit)
    headers.set(ASSIGNMENTS_HEADER, extras.assignments)
    if (extras.flags !== undefined) headers.set(FLAGS_HEADER, extras.flags)
  }
  if (target.kind === 'url') {
    // The origin is addressed by its own name; it learns the public one from X-Forwarded-Host.
    headers.delete('host')
    headers.set('x-forwarded-host', url.host)
    headers.set('x-forwarded-proto', url.protocol.slice(0, -1))
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  return new Request(destination, { method: request.method, headers, body: hasBody ? request.body : null, redirect: 'manual' })
}

/**
 * Fetches from the origin; an unreachable origin becomes a plain 502 that names no internals
 * (the cause goes to the Worker log). A redirect to the origin's own URL is pointed back at the
 * public host, so visitors never see the origin's address.
 */
export async function fetchOrigin(fetcher: OriginFetch, request: Request, target: OriginTarget, publicUrl: string): Promise<Response> {
  let response: Response
  try {
    response = await fetcher(request)
  } catch (error) {
    console.error(`site: origin fetch failed: ${(error as Error)?.message ?? error}`)
    return new Response('The site is temporarily unavailable. Please try again shortly.', {
      status: 502,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    })
  }
  const base = target.kind === 'url' ? target.base : null
  const location = base && response.status >= 300 && response.status < 400 ? response.headers.get('location') : null
  const rewritten = base && location ? publicLocation(location, request.url, base, publicUrl) : null
  if (!rewritten) return response
  const out = new Response(response.body, response)
  out.headers.set('location', rewritten)
  return out
}

/**
 * The public address of an origin redirect that points under the origin's own URL, or null to
 * leave it as the origin sent it (another host, a path outside the origin's prefix, or a value
 * that does not parse). Built part by part on the public URL, so it is always absolute and on the
 * public host, whatever the origin's path looks like.
 */
function publicLocation(location: string, originRequestUrl: string, base: URL, publicUrl: string): string | null {
  let resolved: URL
  try {
    resolved = new URL(location, originRequestUrl)
  } catch {
    return null
  }
  if (resolved.origin !== base.origin) return null
  const prefix = base.pathname.replace(/\/$/, '')
  if (prefix && resolved.pathname !== prefix && !resolved.pathname.startsWith(`${prefix}/`)) return null
  const out = new URL(publicUrl)
  out.pathname = resolved.pathname.slice(prefix.length) || '/'
  out.search = resolved.search
  out.hash = resolved.hash
  return out.href
}
