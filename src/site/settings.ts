import type { SiteSettings } from '../core/site-settings'

export type { OriginTarget, SiteSettings } from '../core/site-settings'

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
