// The origin-latency scenario's bench Workers reach the demo site over the network, in its own
// workerd (slow-origin.ts), at the ORIGIN_URL they are given, instead of in their own isolate.

/** The request's path and query on `origin` (an http URL without a trailing slash). */
export function onOrigin(origin: string, request: Request): string {
  const url = new URL(request.url)
  return origin + url.pathname + url.search
}
