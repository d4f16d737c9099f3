import { chooseRange, inSlice } from './bucket'
import type { CompiledExperiment } from './compile'
import type { Assignment, AssignmentReason } from './assignment-schema'
import { hashToUnitInterval } from './hash'
import type { TargetingContext } from './targeting'

/** Everything assignment needs to know about the unit and the request. */
export type AssignContext = TargetingContext & {
  unit: string
  bot: boolean
  /** QA overrides, experiment key → variant; honoured only where the experiment allows them. */
  forced?: Readonly<Record<string, string>>
}

/**
 * A unit's first assignment in an experiment: the variant it keeps and the epoch it was first
 * assigned in (docs/design.md, "Sticky records"). The counter store also keeps the allocation
 * version it was served under; assignment and the assignment cookie need only variant and epoch.
 */
export type StickyRecord = { variant: string; epoch: number; allocationVersion?: number }

/** Reads sticky records; absent when no store is wired or it is unreachable. */
export type StickyReader = (experiment: string, unit: string) => Promise<StickyRecord | null>

/**
 * Assigns one unit to one experiment: forced → state → bot → targeting → layer → sticky → hash.
 * Pure computation unless the experiment's sticky record can matter and a reader is given.
 * A new unit of a bandit experiment is hashed into the bandit's current weights and gets reason
 * `bandit` (enrolled, like `hash`); a returning unit after a reweight gets `sticky`, keeping its
 * first arm, exactly as after a manual weight change.
 * @example await assign(compiled, { unit: 'user-456', bot: false, device: 'desktop', attributes: {} })
 */
export async function assign(c: CompiledExperiment, ctx: AssignContext, sticky?: StickyReader): Promise<Assignment> {
  const e = c.experiment
  const result = (variant: string, reason: AssignmentReason, enrolled = false): Assignment => {
    const payload = e.variants.find((v) => v.key === variant)?.payload
    const a: Assignment = { experiment: e.key, variant, reason, enrolled, epoch: e.epoch, allocationVersion: e.allocationVersion }
    if (payload !== undefined) a.payload = payload
    return a
  }

  const forced = ctx.forced?.[e.key]
  if (forced !== undefined && e.qaOverrides && e.state !== 'stopped' && e.variants.some((v) => v.key === forced)) {
    return result(forced, 'forced')
  }
  if (e.state === 'rollout') return result(e.rolloutVariant ?? c.fallback, 'rollout')
  if (e.state !== 'running') return result(c.fallback, 'fallback')
  if (ctx.bot) return result(c.fallback, 'bot')
  if (!c.targeting(ctx)) return result(c.fallback, 'targeting')
  if (c.layer && !inSlice(hashToUnitInterval(ctx.unit, c.layer.salt), c.layer.slice)) {
    return result(c.fallback, 'layer')
  }
  if (c.stickyMatters && sticky) {
    const record = await sticky(e.key, ctx.unit)
    // A unit first seen in an earlier epoch keeps its variant but is outside this epoch's analysis.
    if (record) return result(record.variant, 'sticky', record.epoch === e.epoch)
  }
  const index = chooseRange(hashToUnitInterval(ctx.unit, c.salt), c.ranges)
  if (index < 0) return result(c.fallback, 'coverage')
  // Same hashing either way; `bandit` says the ranges come from weights a bandit chose.
  return result(e.variants[index]!.key, c.adaptive ? 'bandit' : 'hash', true)
}
