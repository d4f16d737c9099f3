import type { FlagInput, FlagOutcome } from '../flows/flag-evaluation'
import type { ConfigSnapshot } from '../flows/assignment'
import { requestFacts } from '../http/request-facts'
import type { Visitor } from './visitor'

export { FLAGS_HEADER } from '../core/assignment-header'
/** Longer values are not sent as a header (origins commonly refuse headers past 8 KiB); the page still gets them. */
const MAX_HEADER = 8192

/**
 * Every flag's value for the visitor, or undefined when there are no flags. Experiment rules reuse
 * the visitor's assignments, so nothing is assigned or counted twice (the page view counts them).
 */
export async function visitorFlags(evaluate: (input: FlagInput) => Promise<FlagOutcome>, request: Request, url: URL, visitor: Visitor, snapshot: ConfigSnapshot): Promise<Record<string, unknown> | undefined> {
  if (!snapshot.flags?.size) return undefined
  const { flags } = await evaluate({ unit: visitor.unit, facts: requestFacts(request), overrides: { path: url.pathname, host: url.hostname }, snapshot, assigned: visitor.assignments, track: false, stored: false })
  return Object.fromEntries(flags.map((f) => [f.key, f.value]))
}

/** The header value of `flags` (non-ASCII escaped, so it is a valid header value), or undefined when too long for one. */
export function flagsHeader(flags: Record<string, unknown>): string | undefined {
  const value = JSON.stringify(flags).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return value.length <= MAX_HEADER ? value : undefined
}
