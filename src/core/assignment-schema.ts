import * as z from 'zod/mini'

/**
 * Why a unit got its variant (docs/design.md, "Order of checks and reasons"). `bandit` is `hash` for an
 * experiment whose weights a bandit chooses: the unit was new and hashed into those weights.
 */
export const ASSIGNMENT_REASONS = ['hash', 'bandit', 'sticky', 'forced', 'rollout', 'fallback', 'coverage', 'layer', 'targeting', 'bot'] as const

/** One experiment's answer for one unit. `enrolled` units are the ones exposures count. */
export const AssignmentSchema = z.object({
  experiment: z.string(),
  variant: z.string(),
  reason: z.enum(ASSIGNMENT_REASONS),
  enrolled: z.boolean(),
  epoch: z.int(),
  allocationVersion: z.int(),
  payload: z.optional(z.json()),
})
export type Assignment = z.infer<typeof AssignmentSchema>
export type AssignmentReason = Assignment['reason']

/**
 * Whether the unit was just assigned from the hash (plain or under a bandit's weights) rather than
 * from a record: the assignments that create a sticky record, an exposure and a cookie item.
 */
export function isFreshAssignment(a: Pick<Assignment, 'reason'>): boolean {
  return a.reason === 'hash' || a.reason === 'bandit'
}
