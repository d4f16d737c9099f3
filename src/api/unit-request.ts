import type { ContextOverrides } from '../flows/request-context'
import { type RequestFacts, requestFacts } from '../http/request-facts'

/** The fields /v1/assign and /v1/flags share: who the unit is and what to target it by. */
type UnitRequest = {
  userAgent?: string
  country?: string
  path?: string
  host?: string
  attributes?: ContextOverrides['attributes']
  force?: Record<string, string>
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

/**
 * The request's facts and the body's overrides of them. An explicit field wins over an attribute
 * of the same name (`attributes.country`), which wins over what the request itself says.
 */
export function unitContext(raw: Request, body: UnitRequest): { facts: RequestFacts; overrides: ContextOverrides } {
  return {
    facts: requestFacts(raw, body.userAgent ?? text(body.attributes?.userAgent)),
    overrides: {
      country: body.country ?? text(body.attributes?.country),
      path: body.path ?? text(body.attributes?.path),
      host: body.host ?? text(body.attributes?.host),
      attributes: body.attributes,
      forced: body.force,
    },
  }
}

/** The targeting query parameters both GET forms take, described once for OpenAPI. */
export const TARGETING_QUERY = [
  { name: 'attr.<name>', description: 'a targeting attribute (string); use POST for typed attributes' },
  { name: 'country', description: "ISO country code (default: the request's cf.country)" },
  { name: 'userAgent', description: "the end user's User-Agent (device class and bot filter)" },
  { name: 'path', description: 'page path for path targeting' },
  { name: 'host', description: 'host for host targeting' },
]
