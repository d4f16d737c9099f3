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

/** The targeting query parameters both GET forms take, listed once for OpenAPI (described in unit-request.docs.ts). */
const TARGETING_QUERY = [{ name: 'attr.<name>' }, { name: 'country' }, { name: 'userAgent' }, { name: 'path' }, { name: 'host' }]

/** The query parameters of a unit request (`/v1/assign`, `/v1/flags/evaluate`): the unit, what to answer for (`selector`), QA forcing, targeting, tracking, then `more`. */
export const unitQuery = (selector: string, ...more: { name: string }[]) => [{ name: 'unit', required: true }, { name: selector }, { name: 'force' }, ...TARGETING_QUERY, { name: 'track' }, ...more]
