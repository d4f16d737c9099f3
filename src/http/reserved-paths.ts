/**
 * A matcher for the paths a route table owns, built once per isolate so the site middleware's
 * check on every request is two Set lookups: a path is reserved when it is a route's exact path,
 * or when its first segment is the namespace of a route with more than one segment (`/v1/…`,
 * `/api/…`, `/experiments/…`, `/admin/…`, `/_edgesplit/…`). Namespaces cover the param routes
 * (`/experiments/:id`), unknown paths under the API (a 404 in the error envelope, never the site),
 * and the dashboard's static assets under `/admin/` (assets/admin/). Case-insensitive, so no
 * capitalisation of an API path reaches the site's origin.
 * @example reservedPaths(['/health', '/v1/assign'])('/v1/anything') // true
 */
export function reservedPaths(paths: Iterable<string>): (path: string) => boolean {
  const exact = new Set<string>()
  const namespaces = new Set<string>()
  for (const path of paths) {
    const lower = path.toLowerCase()
    exact.add(lower)
    const segments = lower.split('/')
    if (segments.length > 2) namespaces.add(segments[1]!)
  }
  return (requested) => {
    const path = requested.toLowerCase()
    if (exact.has(path)) return true
    const end = path.indexOf('/', 1)
    return namespaces.has(end === -1 ? path.slice(1) : path.slice(1, end))
  }
}
