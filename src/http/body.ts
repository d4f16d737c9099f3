import type { Context } from 'hono'
import type * as z from 'zod/mini'
import { DomainError } from '../core/errors'
import { parseOrThrow } from '../core/validate'

/** Largest JSON body any endpoint accepts (a batch of 500 events fits comfortably). */
export const MAX_BODY_BYTES = 1_000_000

/** JSON (`application/json`, `application/*+json`), or `text/plain`, which navigator.sendBeacon sends. */
const ACCEPTED_TYPE = /^application\/(.+\+)?json\b|^text\/plain\b/i

/**
 * Reads a JSON body within a size limit and validates it; every failure is a 4xx that says what
 * was wrong (415 wrong content type, 413 too large, 400 not UTF-8 or not JSON, or the field and
 * rule that failed).
 */
export async function readJson<S extends z.core.$ZodType>(c: Context, schema: S, limit = MAX_BODY_BYTES): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? ''
  if (type && !ACCEPTED_TYPE.test(type)) {
    throw new DomainError('unsupported_media_type', 'unsupported_media_type', `send JSON with "Content-Type: application/json" (got "${type}")`)
  }
  const text = await readText(c.req.raw, limit)
  if (text.trim() === '') throw new DomainError('invalid', 'invalid_json', 'the request body is empty; send a JSON object')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new DomainError('invalid', 'invalid_json', `the request body is not valid JSON: ${(error as Error).message}`)
  }
  return parseOrThrow(schema, value)
}

/**
 * The body as UTF-8 text, read chunk by chunk with a byte counter: a chunked body (no
 * Content-Length) is cancelled as soon as it passes `limit`, so an oversized upload is never
 * buffered whole. Invalid UTF-8 is refused rather than silently replaced (JSON is UTF-8, RFC 8259).
 */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > limit) throw tooLarge(limit)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      // Not awaited: the refusal must not wait on a sender that may never finish.
      reader.cancel().catch(() => {})
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new DomainError('invalid', 'invalid_json', 'the request body is not valid UTF-8; send JSON encoded as UTF-8')
  }
}

function tooLarge(limit: number): DomainError {
  return new DomainError('too_large', 'payload_too_large', `the request body is larger than ${limit} bytes`)
}
