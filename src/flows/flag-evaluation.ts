import { DomainError } from '../core/errors'
import { evaluateFlag, type FlagValue, variantValue } from '../core/flag-evaluate'
import { fitsType, type FlagType } from '../core/flag'
import type { CompiledExperiment } from '../core/compile'
import type { Assignment } from '../core/assignment-schema'
import type { AssignInput, AssignmentFlow } from './assignment'
import type { ConfigSnapshot } from '../config/config-doc'
import { requestContext } from './request-context'

/**
 * One flag's answer for one unit. `reason` is core's (src/core/flag-evaluate.ts) or `error` when an
 * experiment rule's experiment is gone or serves a value of another type (the default is served).
 * An experiment rule also names the experiment and the unit's variant.
 */
export type FlagResult = { key: string; type: FlagType; value: FlagValue; reason: string; rule?: string; experiment?: string; variant?: string }

/** The flags of one unit, and the exposure write (experiment rules) to hand to `waitUntil`. */
export type FlagOutcome = { unit: string; flags: FlagResult[]; pending: Promise<unknown> | null }

/** Which flags and whom: the assignment input (unit, facts, overrides, track), plus flag keys (absent: all). */
export type FlagInput = Pick<AssignInput, 'unit' | 'facts' | 'overrides' | 'track' | 'snapshot' | 'stored'> & {
  keys?: readonly string[]
  /** Assignments this request already made for the unit (the site's): experiment rules reuse them, unassigned and uncounted again. */
  assigned?: readonly Assignment[]
}

/** What flag evaluation needs: the config read path and the one assignment flow (experiment rules). */
export type FlagEvaluationDeps = { config: { snapshot(): Promise<ConfigSnapshot> }; assignment: AssignmentFlow }

/**
 * Evaluates flags for one unit. Experiment rules go through the assignment flow in one call, so a
 * flag served by an experiment is assigned, made sticky and counted exactly as `/v1/assign` does.
 * @example const { flags, pending } = await evaluateFlags(deps, { unit, facts, keys: ['new-checkout'], track: true })
 */
export async function evaluateFlags({ config, assignment }: FlagEvaluationDeps, input: FlagInput): Promise<FlagOutcome> {
  const snapshot = input.snapshot ?? (await config.snapshot())
  const all = snapshot.flags ?? new Map()
  const keys = input.keys ? [...new Set(input.keys)] : [...all.keys()]
  const unknown = keys.filter((k) => !all.has(k))
  if (unknown.length) throw new DomainError('not_found', 'unknown_flag', `unknown flag${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`)
  const flags = keys.map((k) => all.get(k)!)
  const ctx = requestContext(input.unit, input.facts, input.overrides)
  const decisions = await Promise.all(flags.map((f) => evaluateFlag(f, ctx)))
  const targets = new Map<string, CompiledExperiment>()
  const made = new Map(input.assigned?.map((a) => [a.experiment, a]))
  for (const d of decisions) {
    const target = d.kind === 'experiment' && !made.has(d.experiment) ? snapshot.experiments.get(d.experiment) : undefined
    if (target) targets.set(target.experiment.key, target)
  }
  let pending: Promise<unknown> | null = null
  if (targets.size) {
    const { unit, facts, overrides, track, stored } = input
    const outcome = await assignment.assign({ unit, facts, overrides, track, stored, snapshot, select: { targets: [...targets.values()] } })
    pending = outcome.pending
    for (const a of outcome.assignments) made.set(a.experiment, a)
  }
  const variants = new Map<string, { variant: string; value: FlagValue }>()
  for (const a of made.values()) {
    const v = snapshot.experiments.get(a.experiment)?.experiment.variants.find((x) => x.key === a.variant)
    variants.set(a.experiment, { variant: a.variant, value: v ? variantValue(v) : a.variant })
  }
  const results = flags.map((c, i): FlagResult => {
    const { key, type } = c.flag
    const d = decisions[i]!
    if (d.kind === 'value') return d.rule === undefined ? { key, type, value: d.value, reason: d.reason } : { key, type, value: d.value, reason: d.reason, rule: d.rule }
    const served = variants.get(d.experiment)
    if (!served || !fitsType(type, served.value)) return { key, type, value: c.flag.default, reason: 'error', rule: d.rule, experiment: d.experiment }
    return { key, type, value: served.value, reason: 'experiment', rule: d.rule, experiment: d.experiment, variant: served.variant }
  })
  return { unit: input.unit, flags: results, pending }
}
