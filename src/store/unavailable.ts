import { StoreUnavailableError } from '../core/errors'

/**
 * Runs one call to a store; any failure reaching it becomes StoreUnavailableError, named after the
 * store's `kind`, so that the caller answers 503 (ingestion) or degrades (assignment).
 */
export async function unavailableOnFailure<T>(kind: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw new StoreUnavailableError(`${kind} counter store: ${(error as Error)?.message ?? String(error)}`, { cause: error })
  }
}
