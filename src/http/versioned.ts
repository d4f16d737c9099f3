import type { Context } from 'hono'
import { DomainError } from '../core/errors'

/**
 * Answers with a versioned record (an experiment, a flag), its version as the ETag: the
 * `If-Match` of the next edit (optimistic concurrency).
 */
export function tagged(c: Context, record: { version: number }, status: 200 | 201 = 200): Response {
  c.header('ETag', `"${record.version}"`)
  return c.json(record, status)
}

/** The version named by `If-Match` (`"3"`, `W/"3"` or `3`), if any. */
export function ifMatch(c: Context): number | undefined {
  const header = c.req.header('if-match')
  if (header === undefined) return undefined
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
  if (!match) throw new DomainError('invalid', 'invalid_request', `If-Match: expected the version as an ETag like "3", got ${header}`)
  return Number(match[1])
}
