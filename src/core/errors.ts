/** Why a domain operation was refused; adapters map each kind to an HTTP status (src/http/errors.ts). */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'precondition_failed' | 'too_large' | 'unsupported_media_type' | 'unavailable'

/** A refusal the caller can act on: `code` is stable, `message` names the field or the rule. */
export class DomainError extends Error {
  override readonly name = 'DomainError'
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

/**
 * A dependency the domain counts on (the counter store) is unreachable, too slow, or failed:
 * assignment degrades to hashing without sticky records, ingestion answers 503 (docs/design.md,
 * "Config and failure").
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'
}
