import { parse } from 'hono/utils/cookie'

// A unit id we accept from a cookie: what src/core/visitor-id.ts makes (a UUID), plus ids a site sets itself.
const UID = /^[A-Za-z0-9._:-]{8,128}$/

/** All cookies of a request (name → value). */
export function requestCookies(request: Request): Record<string, string> {
  const header = request.headers.get('cookie')
  return header ? parse(header) : {}
}

/** The id from the cookie when it is a plausible id, else undefined (a new one is made). */
export function validUid(value: string | undefined): string | undefined {
  return value !== undefined && UID.test(value) ? value : undefined
}
