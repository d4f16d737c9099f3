import * as z from 'zod/mini'
import { DomainError } from './errors'
import { zodMessage } from './zod-messages'

// zod/mini ships no messages; English ones make every 4xx readable.
z.config({ localeError: zodMessage })

/** One readable line per zod issue: `variants[1].weight: weight must be greater than 0`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    )
    // "expected string, received undefined" is zod's way of saying a field is missing.
    const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? `is required (${issue.expected})` : issue.message
    return path ? `${path}: ${message}` : message
  })
}

/** Parses with a zod schema or throws an `invalid` DomainError whose message names each field. */
export function parseOrThrow<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const result = (schema as unknown as z.ZodMiniType).safeParse(input)
  if (result.success) return result.data as z.output<S>
  const lines = describeIssues(result.error.issues)
  throw new DomainError('invalid', 'invalid_request', lines.join('; '), lines)
}
