import { DomainError } from './errors'
import type { Allocation, Experiment, ExperimentState } from './experiment'

/** A requested state change; `variant` is required when moving to `rollout`. */
export type Transition = { to: ExperimentState; variant?: string }

// docs/design.md, "Lifecycle and epochs". rollout→rollout
// changes the rolled-out variant; every other self-transition is refused as a no-op.
const ALLOWED: Record<ExperimentState, readonly ExperimentState[]> = {
  draft: ['running', 'stopped'],
  running: ['paused', 'rollout', 'stopped'],
  paused: ['running', 'rollout', 'stopped'],
  rollout: ['running', 'rollout', 'stopped'],
  stopped: [],
}

/** The states an experiment may move to from `state`. */
export function allowedTransitions(state: ExperimentState): readonly ExperimentState[] {
  return ALLOWED[state]
}

/**
 * Applies a lifecycle transition, returning the new experiment (not yet versioned or saved).
 * A restart (paused→running, rollout→running) raises the epoch so only newly assigned units count.
 * @example transition(draft, { to: 'running' }, new Date()) // state running, epoch 1, startedAt set
 */
export function transition(e: Experiment, t: Transition, now: Date): Experiment {
  const from = e.state
  if (!ALLOWED[from].includes(t.to)) {
    const why =
      from === 'stopped'
        ? 'a stopped experiment is final; create a new one instead'
        : from === 'draft' && t.to === 'rollout'
          ? 'a draft has no results to roll out; start it first'
          : from === t.to
            ? `it is already ${from}`
            : `allowed from ${from}: ${ALLOWED[from].join(', ') || 'none'}`
    throw new DomainError('conflict', 'invalid_transition', `cannot move experiment "${e.key}" from ${from} to ${t.to}: ${why}`)
  }
  if (t.to !== 'rollout' && t.variant !== undefined) {
    throw new DomainError('invalid', 'invalid_request', `variant: only a transition to rollout takes a variant`)
  }
  const at = now.toISOString()
  const next: Experiment = { ...e, state: t.to }
  switch (t.to) {
    case 'running':
      if (from === 'draft') {
        next.epoch = 1
        next.startedAt = at
        next.allocations = [allocationSnapshot(e, e.allocationVersion, 1, at)]
      } else {
        next.epoch = e.epoch + 1
        next.rolloutVariant = null
        next.endedAt = null
        next.allocations = [...e.allocations, allocationSnapshot(e, e.allocationVersion, next.epoch, at)]
      }
      break
    case 'rollout': {
      const variant = t.variant
      if (variant === undefined) throw new DomainError('invalid', 'invalid_request', 'variant: a rollout needs the variant to give everyone')
      if (!e.variants.some((v) => v.key === variant)) {
        throw new DomainError('invalid', 'invalid_request', `variant: "${variant}" is not one of the variants (${e.variants.map((v) => v.key).join(', ')})`)
      }
      next.rolloutVariant = variant
      next.endedAt = from === 'rollout' ? e.endedAt : at
      break
    }
    case 'stopped':
      next.endedAt = e.endedAt ?? at
      break
    case 'paused':
    case 'draft':
      break
  }
  return next
}

/** The allocation in force from `at`: the weights and coverage units are assigned under. */
export function allocationSnapshot(e: Pick<Experiment, 'variants' | 'coverage'>, version: number, epoch: number, at: string): Allocation {
  return { version, epoch, weights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])), coverage: e.coverage, at }
}
