import { isRecord } from '../core/is-record'
import { DomainError } from '../core/errors'
import { parseOrThrow } from '../core/validate'
import { queryEntries } from '../http/query-string'
import { type AssignRequest, AssignRequestSchema } from './assign-schema'

/**
 * The assign request of `GET /v1/assign?…`. A query that plainly satisfies AssignRequestSchema (the
 * usual `?unit=…&experiments=…`) is returned as built; anything else goes through the schema, so
 * every refusal keeps the schema's exact message. test/unit/api/assign-query.test.ts checks that
 * the shortcut accepts nothing the schema refuses and returns what the schema would.
 * @example assignQuery('https://x.test/v1/assign?unit=u1&experiments=a,b') // { unit: 'u1', experiments: ['a', 'b'] }
 */
export function assignQuery(url: string): AssignRequest {
  const request = queryToRequest(queryEntries(url))
  return plainlyValid(request) ? (request as AssignRequest) : parseOrThrow(AssignRequestSchema, request)
}

/**
 * Query form: `unit`, `experiments=a,b` (or repeated `experiment`), `attr.<name>=value` (strings),
 * `force=key:variant`, `country`, `userAgent`, `path`, `host`, `track=false`, `confirm=1`.
 */
export function queryToRequest(q: Iterable<[string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const attributes: Record<string, string> = {}
  const force: Record<string, string> = {}
  const experiments: string[] = []
  for (const [name, value] of q) {
    if (name.startsWith('attr.')) attributes[name.slice(5)] = value
    else if (name === 'experiments' || name === 'experiment') experiments.push(...value.split(',').map((s) => s.trim()).filter(Boolean))
    else if (name === 'force') {
      const i = value.indexOf(':')
      if (i <= 0) throw new DomainError('invalid', 'invalid_request', `force: expected "experiment:variant", got "${value}"`)
      force[value.slice(0, i)] = value.slice(i + 1)
    } else if (name === 'track') {
      if (value !== 'true' && value !== 'false') throw new DomainError('invalid', 'invalid_request', `track: expected true or false, got "${value}"`)
      out.track = value === 'true'
    } else if (name === 'confirm') {
      // A flag in a URL is as often 1/0 as true/false.
      if (!/^(1|0|true|false)$/.test(value)) throw new DomainError('invalid', 'invalid_request', `confirm: expected 1, true, 0 or false, got "${value}"`)
      out.confirm = value === '1' || value === 'true'
    } else out[name] = value
  }
  if (experiments.length) out.experiments = experiments
  if (Object.keys(attributes).length) out.attributes = attributes
  if (Object.keys(force).length) out.force = force
  return out
}

// The string fields of AssignRequestSchema a query can set, with their maximum lengths.
const MAX_LENGTH = new Map([
  ['unit', 256],
  ['userAgent', 1024],
  ['path', 2048],
  ['host', 253],
  ['country', 2],
])
const COUNTRY = /^[A-Za-z]{2}$/

/**
 * Whether a request built by queryToRequest certainly passes AssignRequestSchema (the same bounds,
 * checked without building zod's issue list); false means "let the schema decide", never "invalid".
 */
function plainlyValid(request: Record<string, unknown>): boolean {
  for (const key of Object.keys(request)) {
    const value = request[key]
    if (key === 'experiments') {
      if (!Array.isArray(value) || value.length > 100 || !value.every((k) => typeof k === 'string' && k !== '')) return false
    } else if (key === 'attributes' || key === 'force') {
      if (!isRecord(value)) return false
      const names = Object.keys(value)
      if (key === 'attributes' && names.length > 50) return false
      for (const name of names) {
        const v = (value as Record<string, unknown>)[name]
        if (typeof v !== 'string' || (key === 'attributes' && (name.length > 64 || v.length > 1024))) return false
      }
    } else if (key === 'track' || key === 'confirm') {
      if (typeof value !== 'boolean') return false
    } else {
      const max = MAX_LENGTH.get(key)
      if (max === undefined || typeof value !== 'string' || value.length > max) return false
      if (key === 'unit' && value.trim() === '') return false
      if (key === 'country' && !COUNTRY.test(value)) return false
    }
  }
  return typeof request.unit === 'string'
}
