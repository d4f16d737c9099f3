import type { AssignContext } from '../core/assign'
import type { DeviceClass } from '../core/device'
import type { AttributeValue } from '../core/targeting'

/**
 * What the edge knows about the visitor behind a request. Adapters hand over a lazy object
 * (src/http/request-facts.ts): reading `country` materialises `request.cf`, which costs CPU, so it
 * must be read only when a targeting rule asks for it.
 */
export type VisitorFacts = { readonly country?: string; readonly device: DeviceClass; readonly bot: boolean }

/** What a caller may state about the unit instead of (or beyond) the request's own facts. */
export type ContextOverrides = {
  /** Two-letter country code, any case; wins over the request's. */
  country?: string
  path?: string
  host?: string
  attributes?: Readonly<Record<string, AttributeValue>>
  /** QA overrides, experiment key → variant. */
  forced?: Readonly<Record<string, string>>
}

/**
 * The assignment context of one unit: the overrides as given, and the request's facts behind
 * getters, so bot, device and country are only computed when an experiment's rules reach them.
 * @example requestContext('user-1', requestFacts(request), { path: '/pricing' })
 */
export function requestContext(unit: string, facts: VisitorFacts, overrides: ContextOverrides = {}): AssignContext {
  return new RequestContext(unit, facts, overrides)
}

// A class rather than an object literal with getters: one allocation per request, getters on the prototype.
class RequestContext implements AssignContext {
  readonly path: string | undefined
  readonly host: string | undefined
  readonly attributes: Readonly<Record<string, AttributeValue>>
  readonly forced: Readonly<Record<string, string>> | undefined
  private readonly countryOverride: string | undefined

  constructor(
    readonly unit: string,
    private readonly facts: VisitorFacts,
    overrides: ContextOverrides,
  ) {
    this.countryOverride = overrides.country
    this.path = overrides.path
    this.host = overrides.host
    this.attributes = overrides.attributes ?? {}
    this.forced = overrides.forced
  }

  get bot(): boolean {
    return this.facts.bot
  }

  get device(): DeviceClass {
    return this.facts.device
  }

  get country(): string | undefined {
    return this.countryOverride !== undefined ? this.countryOverride.toUpperCase() : this.facts.country
  }
}
