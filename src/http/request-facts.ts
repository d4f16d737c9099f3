import { type DeviceClass, deviceClass, isBot } from '../core/device'
import type { VisitorFacts } from '../flows/request-context'

/** What the edge knows about a request's visitor: country (Cloudflare's `cf`), device, bot, and the user agent they come from. */
export type RequestFacts = VisitorFacts & { readonly userAgent?: string }

/**
 * Reads visitor facts from a request, lazily: `request.cf` costs ~25 µs of CPU to materialise in
 * workerd (measured with `npm run bench`), so it is only touched when a targeting rule asks for the
 * country. `userAgent` overrides the header (backends call on behalf of users). Country is upper-case.
 */
export function requestFacts(request: Request, userAgent?: string): RequestFacts {
  return new LazyRequestFacts(request, userAgent)
}

// A class rather than an object literal with getters: its getters live on the prototype, so a
// request allocates one small object instead of a closure per getter.
class LazyRequestFacts implements RequestFacts {
  private ua: string | undefined | null = null
  private countryValue: string | undefined | null = null
  // Each experiment's assignment asks again: the header read and the regexes run once per request.
  private deviceValue: DeviceClass | undefined
  private botValue: boolean | undefined

  constructor(
    private readonly request: Request,
    private readonly override: string | undefined,
  ) {}

  get country(): string | undefined {
    if (this.countryValue === null) {
      const value = (this.request as { cf?: { country?: unknown } }).cf?.country
      this.countryValue = typeof value === 'string' ? value.toUpperCase() : undefined
    }
    return this.countryValue
  }

  get device(): DeviceClass {
    return (this.deviceValue ??= deviceClass(this.userAgent))
  }

  get bot(): boolean {
    return (this.botValue ??= isBot(this.userAgent))
  }

  get userAgent(): string | undefined {
    if (this.ua === null) this.ua = this.override ?? this.request.headers.get('user-agent') ?? undefined
    return this.ua
  }
}
