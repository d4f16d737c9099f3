import type { Context } from 'hono'
import type * as z from 'zod/mini'
import { DomainError } from '../core/errors'
import { parseOrThrow } from '../core/validate'

/** Largest JSON body any endpoint accepts (a batch of 500 events fits comfortably). */
export const MAX_BODY_BYTES = 1_000_000

/**
 * Reads a JSON body within a size limit and validates it; every failure is a 4xx that says what
 * was wrong (wrong content type, too large, not JSON, or the field and rule that failed).
 */
export async function readJson<S extends z.core.$ZodType>(c: Context, schema: S, limit = MAX_BODY_BYTES): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? ''
  if (type && !/^application\/(.+\+)?json\b|^text\/plain\b/i.test(type)) {
    throw new DomainError('invalid', 'unsupported_media_type', `send JSON with "Content-Type: application/json" (got "${type}")`)
  }
  const declared = Number(c.req.header('content-length') ?? 0)
  if (declared > limit) throw tooLarge(limit)
  const text = await c.req.text()
  if (text.length > limit) throw tooLarge(limit)
  if (text.trim() === '') throw new DomainError('invalid', 'invalid_json', 'the request body is empty; send a JSON object')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new DomainError('invalid', 'invalid_json', `the request body is not valid JSON: ${(error as Error).message}`)
  }
  return parseOrThrow(schema, value)
}

function tooLarge(limit: number): DomainError {
  return new DomainError('invalid', 'payload_too_large', `the request body is larger than ${limit} bytes`)
}
