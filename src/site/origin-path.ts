import { DomainError } from '../core/errors'
import type { OriginTarget } from './settings'

// One level of percent-escapes, decoded byte by byte: enough to see `%2F`, `%5C`, `%2E` and `%00`.
const ESCAPE = /%([0-9A-Fa-f]{2})/g
// C0 controls and DEL: NUL truncates paths in many servers, CR/LF split headers in some.
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Why a path must not go to the origin, or null when it may. A path that starts with two slashes
 * (or backslashes, or their escapes) is a scheme-relative reference, `//host/…`, to URL resolvers
 * (WHATWG URL, RFC 3986 §4.2) and to many origins' redirects; dot segments and NUL let an origin
 * that decodes the path step out of it (RFC 3986 §5.2.4).
 * @example unsafePathReason('/%2F%2Fevil.example/x') // 'it starts with two slashes …'
 */
export function unsafePathReason(path: string): string | null {
  if (!path.startsWith('/')) return 'it does not start with "/"'
  const decoded = path.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  if (CONTROL.test(decoded)) return 'it contains a control character (such as NUL)'
  if (/^[/\\]{2}/.test(decoded)) return 'it starts with two slashes or a backslash, which names another host'
  if (decoded.split(/[/\\]/).some((s) => s === '.' || s === '..')) return 'it contains a "." or ".." segment'
  return null
}

/**
 * The origin URL a request goes to: the configured origin's scheme, host and port (the request's
 * own in passthrough and demo mode), its path prefix, then the request's path — or a split-URL
 * variant's `rewrite` (`/path?query`). The URL is assembled part by part, never resolved from a
 * client path, and a path that could leave the origin is refused (400).
 * @example originUrl({ kind: 'url', base: new URL('https://o.test/b') }, new URL('https://www.test/x?q=1')).href // 'https://o.test/b/x?q=1'
 */
export function originUrl(target: OriginTarget, requestUrl: URL, rewrite?: string): URL {
  let path = requestUrl.pathname
  let search = requestUrl.search
  if (rewrite !== undefined) {
    const q = rewrite.indexOf('?')
    path = q < 0 ? rewrite : rewrite.slice(0, q)
    // The query string is kept unless the variant's url has its own (docs/site-middleware.md).
    if (q >= 0) search = rewrite.slice(q)
  }
  const reason = unsafePathReason(path)
  if (reason) throw badPath(reason)
  // Demo and passthrough without a rewrite: the assembly below would rebuild the request's own URL.
  if (target.kind !== 'url' && rewrite === undefined && requestUrl.hash === '') return requestUrl
  const base = target.kind === 'url' ? target.base : requestUrl
  const prefix = target.kind === 'url' ? base.pathname.replace(/\/$/, '') : ''
  const destination = new URL(base.href)
  destination.pathname = `${prefix}${path}`
  destination.search = search
  destination.hash = ''
  // Setting a path never changes the host; checked anyway, because this is the proxy's one promise.
  if (destination.origin !== base.origin) throw badPath('it names another host')
  return destination
}

/** The 400 for a path the middleware will not send to the origin. */
export function badPath(reason: string): DomainError {
  return new DomainError('invalid', 'bad_path', `this path cannot be served: ${reason}`)
}
