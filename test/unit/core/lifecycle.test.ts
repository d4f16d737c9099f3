import { describe, expect, it } from 'vitest'
import { editExperiment } from '../../../src/core/edit'
import { DomainError } from '../../../src/core/errors'
import { type Experiment, type ExperimentState, ExperimentCreateSchema } from '../../../src/core/experiment'
import { transition } from '../../../src/core/lifecycle'
import { describeIssues } from '../../../src/core/validate'
import { draftExperiment } from '../../shared/experiments'

const t0 = new Date('2026-11-01T10:00:00Z')
const t1 = new Date('2026-11-02T10:00:00Z')

function inState(state: ExperimentState): Experiment {
  const draft = draftExperiment({ key: 'life' })
  if (state === 'draft') return draft
  const running = transition(draft, { to: 'running' }, t0)
  if (state === 'running') return running
  if (state === 'rollout') return transition(running, { to: 'rollout', variant: 'treatment' }, t0)
  return transition(running, { to: state }, t0)
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

describe('lifecycle state machine', () => {
  it('should record started_at and epoch 1 when a draft starts', () => {
    const running = transition(inState('draft'), { to: 'running' }, t0)
    expect(running).toMatchObject({ state: 'running', epoch: 1, startedAt: t0.toISOString(), endedAt: null })
    expect(running.allocations).toEqual([{ version: 1, epoch: 1, weights: { control: 1, treatment: 1 }, coverage: 1, at: t0.toISOString() }])
  })

  it('should raise the epoch on every restart (paused→running and rollout→running)', () => {
    const resumed = transition(inState('paused'), { to: 'running' }, t1)
    expect(resumed.epoch).toBe(2)
    const rerun = transition(inState('rollout'), { to: 'running' }, t1)
    expect(rerun).toMatchObject({ epoch: 2, rolloutVariant: null, endedAt: null })
  })

  it('should require a known variant for a rollout and set ended_at', () => {
    expect(refusal(() => transition(inState('running'), { to: 'rollout' }, t1)).message).toMatch(/needs the variant/)
    expect(refusal(() => transition(inState('running'), { to: 'rollout', variant: 'nope' }, t1)).message).toMatch(/"nope" is not one of the variants/)
    expect(transition(inState('running'), { to: 'rollout', variant: 'control' }, t1)).toMatchObject({ rolloutVariant: 'control', endedAt: t1.toISOString() })
  })

  it.each([
    ['draft', 'rollout', /a draft has no results to roll out/],
    ['draft', 'paused', /allowed from draft: running, stopped/],
    ['stopped', 'running', /stopped experiment is final/],
    ['stopped', 'draft', /stopped experiment is final/],
    ['running', 'running', /already running/],
    ['rollout', 'paused', /allowed from rollout/],
    ['running', 'draft', /allowed from running/],
  ] as const)('should refuse %s → %s with a message naming the rule', (from, to, message) => {
    const e = refusal(() => transition(inState(from), { to, variant: to === 'rollout' ? 'control' : undefined }, t1))
    expect(e.code).toBe('invalid_transition')
    expect(e.kind).toBe('conflict')
    expect(e.message).toMatch(message)
  })

  it('should allow stopping from every live state', () => {
    for (const s of ['draft', 'running', 'paused', 'rollout'] as const) expect(transition(inState(s), { to: 'stopped' }, t1).state).toBe('stopped')
  })
})

describe('editing', () => {
  it('should keep the allocation version while weights change in draft', () => {
    const edited = editExperiment(inState('draft'), { variants: [{ key: 'control', weight: 3 }, { key: 'treatment', weight: 1 }] }, t1)
    expect(edited).toMatchObject({ allocationVersion: 1, version: 2 })
  })

  it('should raise the allocation version and record the new weights when a running experiment is reweighted', () => {
    const edited = editExperiment(inState('running'), { variants: [{ key: 'control', weight: 3 }, { key: 'treatment', weight: 1 }] }, t1)
    expect(edited.allocationVersion).toBe(2)
    expect(edited.allocations.at(-1)).toEqual({ version: 2, epoch: 1, weights: { control: 3, treatment: 1 }, coverage: 1, at: t1.toISOString() })
  })

  it('should refuse to change variant keys, salt or layer once started', () => {
    const running = inState('running')
    expect(refusal(() => editExperiment(running, { variants: [{ key: 'control', weight: 1 }, { key: 'other', weight: 1 }] }, t1)).code).toBe('frozen_field')
    expect(refusal(() => editExperiment(running, { salt: 'new' }, t1)).message).toMatch(/^salt:/)
    expect(refusal(() => editExperiment(inState('stopped'), { title: 'x' }, t1)).code).toBe('experiment_stopped')
  })

  it('should name the field and rule of an invalid experiment', () => {
    const bad = ExperimentCreateSchema.safeParse({ key: 'bad key!', title: '', variants: [{ key: 'a', weight: 0 }], coverage: 2, fallback: 'zzz' })
    expect(bad.success).toBe(false)
    const lines = describeIssues(bad.success ? [] : bad.error.issues)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^key: must be 1-64 characters/),
        expect.stringMatching(/^title: must not be empty/),
        expect.stringMatching(/^variants\[0\]\.weight: weight must be greater than 0/),
        expect.stringMatching(/^variants: an experiment needs at least 2 variants/),
        expect.stringMatching(/^coverage: coverage must be between 0 and 1/),
      ]),
    )
  })
})
