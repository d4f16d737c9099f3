import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DomainError, type DomainErrorKind, StoreUnavailableError } from '../core/errors'

/**
 * The one status table for domain refusals; every adapter (the native API, and the seed 000 and
 * seed 001 APIs of docs/compatibility.md) maps through it.
 */
const STATUS: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
}

/**
 * The status of a domain refusal, with the headers its kind calls for: an `unavailable` one may be
 * retried as it is, so it says when (Retry-After). Every adapter's error body goes through this.
 */
export function refusalStatus(c: Context, kind: DomainErrorKind): ContentfulStatusCode {
  if (kind === 'unavailable') c.header('Retry-After', '1')
  return STATUS[kind]
}

/** The one error envelope every endpoint answers with. */
export type ErrorBody = { error: { code: string; message: string; details?: unknown } }

/** Builds an error response in the shared envelope. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown): Response {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } }
  return c.json(body, status)
}

/** The app's single `onError`: domain refusals become 4xx, anything unexpected a logged 500. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof DomainError) return errorResponse(c, refusalStatus(c, error.kind), error.code, error.message, error.details)
  if (error instanceof StoreUnavailableError) {
    console.warn(error.message)
    return errorResponse(c, refusalStatus(c, 'unavailable'), 'store_unavailable', 'the counter store is unavailable right now; retry shortly')
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode
    return errorResponse(c, status, status === 401 ? 'unauthorized' : status === 413 ? 'payload_too_large' : 'http_error', error.message || 'request refused')
  }
  console.error('unhandled error', error)
  return errorResponse(c, 500, 'internal', 'internal error; the details are in the Worker logs')
}
