import type { Assignment } from './assignment-schema'

// The origin's two headers are set by the site middleware only: copies sent by clients are dropped.
/** The visitor's id, as the origin receives it. */
export const UNIT_HEADER = 'x-edgesplit-unit'
/** The visitor's variants, `key=variant; key=variant`, as the origin receives them. */
export const ASSIGNMENTS_HEADER = 'x-edgesplit-assignments'
/** The header the site middleware sends the origin with the visitor's flags: a JSON object `{ "<flag>": value }`. */
export const FLAGS_HEADER = 'x-edgesplit-flags'

/**
 * The value of `x-edgesplit-assignments` for a visitor's assignments.
 * @example formatAssignmentsHeader([{ experiment: 'moon_mars', variant: 'Mars', … }]) // 'moon_mars=Mars'
 */
export function formatAssignmentsHeader(assignments: readonly Pick<Assignment, 'experiment' | 'variant'>[]): string {
  return assignments.map((a) => `${a.experiment}=${a.variant}`).join('; ')
}

/** Parses `x-edgesplit-assignments` (`key=variant; key=variant`) as an origin would. */
export function parseAssignmentsHeader(header: string | null): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return out
}
