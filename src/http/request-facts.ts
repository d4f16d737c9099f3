import { deviceClass, isBot } from '../core/device'
import type { DeviceClass } from '../core/device'

/** What the edge knows about a request's visitor: country (Cloudflare's `cf`), device, bot. */
export type RequestFacts = { country?: string; device: DeviceClass; bot: boolean; userAgent?: string }

/** Reads visitor facts from a request; `userAgent` overrides the header (backends call for users). */
export function requestFacts(request: Request, userAgent?: string): RequestFacts {
  const ua = userAgent ?? request.headers.get('user-agent') ?? undefined
  const country = (request as { cf?: { country?: unknown } }).cf?.country
  return { country: typeof country === 'string' ? country : undefined, device: deviceClass(ua), bot: isBot(ua), userAgent: ua }
}
