/** One year, in seconds: the id cookie's lifetime, renewed on every personalised page. */
export const ONE_YEAR = 365 * 24 * 3600

/** Attributes shared by every cookie the middleware sets. */
export type CookieScope = { secure: boolean; domain: string | undefined }

/**
 * A `Set-Cookie` value: `Path=/`, `SameSite=Lax`, `Secure` on https, the configured `Domain`.
 * Values are written as given: every value the middleware sets is made of cookie-safe characters.
 * @example setCookie('edgesplit_uid', id, ONE_YEAR, { secure: true, domain: undefined })
 */
export function setCookie(name: string, value: string, maxAge: number | null, scope: CookieScope, httpOnly = false): string {
  let cookie = `${name}=${value}; Path=/; SameSite=Lax`
  // No Max-Age: a session cookie (QA overrides end with the browser session).
  if (maxAge !== null) cookie += `; Max-Age=${maxAge}`
  if (scope.domain) cookie += `; Domain=${scope.domain}`
  if (scope.secure) cookie += '; Secure'
  if (httpOnly) cookie += '; HttpOnly'
  return cookie
}
