import { describe, expect, it } from 'vitest'
import { dueBandits } from '../../../src/flows/bandit-trigger'
import { buildSnapshot } from '../../../src/config/config-doc'
import { assign, type AssignContext } from '../../../src/core/assign'
import { banditPolicy, nextRebalanceAt } from '../../../src/bandit/bandit-policy'
import { compileExperiment } from '../../../src/core/compile'
import { editExperiment } from '../../../src/core/edit'
import { type Experiment, ExperimentCreateSchema, ExperimentSchema } from '../../../src/core/experiment'
import { transition } from '../../../src/core/lifecycle'
import { seededRandom } from '../../../src/core/random'
import { rebalanceExperiment } from '../../../src/bandit/rebalance'
import { describeIssues } from '../../../src/core/validate'
import { draftExperiment } from '../../shared/experiments'

const t0 = new Date('2026-11-01T10:00:00Z')
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000)
const HOUR = 3600

/** A running Moon/Mars bandit started at t0. */
function bandit(allocation: Record<string, unknown> = { type: 'thompson' }, fields: Record<string, unknown> = {}): Experiment {
  const draft = draftExperiment({ key: 'mm', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }], allocation, ...fields })
  return transition(draft, { to: 'running' }, t0)
}

const clearWinner = { Moon: { units: 1000, conversions: 100 }, Mars: { units: 1000, conversions: 200 } }

function issues(body: Record<string, unknown>): string[] {
  const result = ExperimentCreateSchema.safeParse({ key: 'x', title: 'x', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], ...body })
  return result.success ? [] : describeIssues(result.error.issues)
}

describe('the allocation field of an experiment', () => {
  it('should accept fixed and each bandit type, with defaults resolved by banditPolicy', () => {
    expect(issues({ allocation: { type: 'fixed' } })).toEqual([])
    for (const type of ['thompson', 'ucb1', 'epsilon_greedy']) expect(issues({ allocation: { type } })).toEqual([])
    expect(banditPolicy(bandit())).toEqual({ type: 'thompson', epsilon: 0.1, burnIn: 100, floor: 0.01, periodSeconds: 3600, metric: 'conversion' })
    expect(banditPolicy(bandit({ type: 'fixed' }))).toBeNull()
    expect(banditPolicy(draftExperiment({ key: 'none' }))).toBeNull()
  })

  it.each([
    [{ type: 'softmax' }, /allocation\.type: allocation\.type must be one of fixed, thompson, ucb1, epsilon_greedy/],
    [{ type: 'thompson', burnIn: 50 }, /allocation\.burnIn: burnIn must be at least 100 units per arm/],
    [{ type: 'thompson', periodSeconds: 10 }, /allocation\.periodSeconds: periodSeconds must be at least 60/],
    [{ type: 'thompson', floor: 0 }, /allocation\.floor: floor must be in \(0, 0\.5\]/],
    [{ type: 'thompson', epsilon: 0.2 }, /allocation\.epsilon: epsilon applies to type epsilon_greedy only/],
    [{ type: 'epsilon_greedy', epsilon: 1.5 }, /allocation\.epsilon: epsilon must be between 0 and 1/],
    [{ type: 'fixed', floor: 0.05 }, /allocation\.floor: floor applies to bandit allocations only/],
    [{ type: 'ucb1', metric: 'nope' }, /allocation\.metric: "nope" is not one of the metrics \(conversion\)/],
  ])('should refuse %j with a message naming the field', (allocation, message) => {
    expect(issues({ allocation }).join('\n')).toMatch(message)
  })

  it('should refuse a floor that the variants cannot all get', () => {
    const three = [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }, { key: 'c', weight: 1 }]
    expect(issues({ variants: three, allocation: { type: 'thompson', floor: 0.4 } }).join()).toMatch(/allocation\.floor: floor 0\.4 × 3 variants exceeds 1: use at most 0\.3333/)
  })

  it('should refuse a bandit on a mean metric', () => {
    const metrics = [{ key: 'revenue', type: 'mean', event: 'buy' }]
    expect(issues({ metrics, allocation: { type: 'thompson' } }).join()).toMatch(/allocation\.metric: a bandit maximises a conversion rate, but "revenue" is a mean metric/)
    const both = [...metrics, { key: 'bought', type: 'binomial', event: 'buy', role: 'secondary' }]
    expect(issues({ metrics: both, allocation: { type: 'thompson', metric: 'bought' } })).toEqual([])
  })
})

describe('rebalanceExperiment: the bandit step', () => {
  it('should wait a full period after the start', () => {
    const e = bandit()
    expect(nextRebalanceAt(e, banditPolicy(e)!)).toBe(later(HOUR).getTime())
    expect(rebalanceExperiment(e, clearWinner, later(HOUR - 1), seededRandom(1))).toMatchObject({ status: 'not_due', message: 'next reweight of "mm" at 2026-11-01T11:00:00.000Z' })
  })

  it('should keep the weights during burn-in and record the check, so the next one waits a period', () => {
    const e = bandit()
    const out = rebalanceExperiment(e, { Moon: { units: 500, conversions: 50 }, Mars: { units: 99, conversions: 30 } }, later(HOUR), seededRandom(1))
    if (!('experiment' in out)) throw new Error(out.message)
    expect(out.status).toBe('burn_in')
    expect(out.message).toBe('burn-in: variant Mars has 99 units, fewer than burnIn=100; using base weights')
    expect(out.experiment.variants.map((v) => v.weight)).toEqual([1, 1])
    expect(out.experiment).toMatchObject({ allocationVersion: 1, version: e.version + 1, bandit: { checkedAt: later(HOUR).toISOString(), phase: 'burn-in' } })
    expect(out.experiment.allocations).toEqual(e.allocations)
    expect(rebalanceExperiment(out.experiment, clearWinner, later(2 * HOUR - 1), seededRandom(1)).status).toBe('not_due')
  })

  it('should move weight toward the better arm after burn-in, never below the floor, as a new allocation', () => {
    const e = bandit()
    const out = rebalanceExperiment(e, clearWinner, later(HOUR), seededRandom('mm'))
    if (out.status !== 'reweighted') throw new Error(out.message)
    expect(out.weights).toEqual({ Moon: 0.01, Mars: 0.99 })
    const next = out.experiment
    expect(ExperimentSchema.parse(next)).toEqual(next)
    expect(next).toMatchObject({ allocationVersion: 2, version: e.version + 1, bandit: { phase: 'adaptive', note: 'thompson: reweighted to Moon 0.01, Mars 0.99' } })
    expect(next.variants.map((v) => v.weight)).toEqual([0.01, 0.99])
    expect(next.allocations.at(-1)).toEqual({
      version: 2,
      epoch: 1,
      weights: { Moon: 0.01, Mars: 0.99 },
      coverage: 1,
      at: later(HOUR).toISOString(),
      bandit: { algorithm: 'thompson', metric: 'conversion', counts: clearWinner },
    })
    // The new weights make assignment read sticky records, so earlier units keep their first arm.
    expect(compileExperiment(next).stickyMatters).toBe(true)
  })

  it('should reweight at most once per period', () => {
    const first = rebalanceExperiment(bandit(), clearWinner, later(HOUR), seededRandom(1))
    if (!('experiment' in first)) throw new Error(first.message)
    expect(rebalanceExperiment(first.experiment, clearWinner, later(HOUR + 1), seededRandom(1)).status).toBe('not_due')
    expect(rebalanceExperiment(first.experiment, clearWinner, later(2 * HOUR - 1), seededRandom(1)).status).toBe('not_due')
    expect(rebalanceExperiment(first.experiment, clearWinner, later(2 * HOUR), seededRandom(1)).status).toBe('unchanged')
  })

  it('should be reproducible with the same random source', () => {
    const close = { Moon: { units: 300, conversions: 30 }, Mars: { units: 300, conversions: 36 } }
    const a = rebalanceExperiment(bandit(), close, later(HOUR), seededRandom('same'))
    const b = rebalanceExperiment(bandit(), close, later(HOUR), seededRandom('same'))
    expect(a).toEqual(b)
    expect(a.status).toBe('reweighted')
    const w = (a as { weights: Record<string, number> }).weights
    expect(w.Mars).toBeGreaterThan(w.Moon!)
    expect(w.Moon).toBeGreaterThan(0.01)
  })

  it.each([
    ['ucb1', { type: 'ucb1', floor: 0.05 }, { Moon: 0.05, Mars: 0.95 }],
    ['epsilon_greedy', { type: 'epsilon_greedy', epsilon: 0.2 }, { Moon: 0.1, Mars: 0.9 }],
  ])('should apply %s with its settings', (_name, allocation, weights) => {
    const out = rebalanceExperiment(bandit(allocation), clearWinner, later(HOUR), seededRandom(1))
    expect(out).toMatchObject({ status: 'reweighted', weights })
  })

  it('should count the configured metric and ignore experiments that are not running bandits', () => {
    const e = bandit({ type: 'ucb1' }, { metrics: [{ key: 'conversion', type: 'binomial', event: 'conversion' }, { key: 'click', type: 'binomial', event: 'click', role: 'secondary' }] })
    expect(banditPolicy(e)!.metric).toBe('conversion')
    expect(rebalanceExperiment(transition(e, { to: 'paused' }, t0), clearWinner, later(HOUR), seededRandom(1)).status).toBe('not_running')
    expect(rebalanceExperiment(bandit({ type: 'fixed' }), clearWinner, later(HOUR), seededRandom(1)).status).toBe('not_bandit')
  })

  it('should start a fresh period on a restart and after a manual reweight', () => {
    const e = bandit()
    const restarted = transition(transition(e, { to: 'paused' }, later(10)), { to: 'running' }, later(HOUR))
    expect(rebalanceExperiment(restarted, clearWinner, later(HOUR + 60), seededRandom(1)).status).toBe('not_due')
    const edited = editExperiment(e, { variants: [{ key: 'Moon', weight: 3 }, { key: 'Mars', weight: 1 }] }, later(1800))
    expect(nextRebalanceAt(edited, banditPolicy(edited)!)).toBe(later(1800 + HOUR).getTime())
  })
})

describe('assign in a bandit experiment', () => {
  const ctx = (unit: string): AssignContext => ({ unit, bot: false, device: 'desktop', attributes: {} })

  it('should give new units reason bandit (enrolled) and keep returning units on their first arm (sticky)', async () => {
    const first = compileExperiment(bandit())
    const units = Array.from({ length: 50 }, (_, i) => `u-${i}`)
    const before = await Promise.all(units.map((u) => assign(first, ctx(u))))
    for (const a of before) expect(a).toMatchObject({ reason: 'bandit', enrolled: true, allocationVersion: 1 })

    const out = rebalanceExperiment(first.experiment, clearWinner, later(HOUR), seededRandom(1))
    if (!('experiment' in out)) throw new Error(out.message)
    const next = compileExperiment(out.experiment)
    const records = new Map(before.map((a, i) => [units[i], { variant: a.variant, epoch: a.epoch }]))
    const after = await Promise.all(units.map((u) => assign(next, ctx(u), async (_e, unit) => records.get(unit) ?? null)))
    after.forEach((a, i) => expect(a).toMatchObject({ variant: before[i]!.variant, reason: 'sticky', enrolled: true, allocationVersion: 2 }))

    const fresh = await Promise.all(Array.from({ length: 200 }, (_, i) => assign(next, ctx(`new-${i}`), async () => null)))
    expect(fresh.every((a) => a.reason === 'bandit' && a.enrolled)).toBe(true)
    expect(fresh.filter((a) => a.variant === 'Mars').length).toBeGreaterThan(190)
  })
})

describe('dueBandits: which experiments an isolate asks the ConfigWriter to reweight', () => {
  const snapshot = (experiments: Experiment[]) => buildSnapshot(JSON.stringify({ experiments: Object.fromEntries(experiments.map((e) => [e.key, e])) }), undefined, () => {})

  it('should name running bandits whose period has passed, once per config TTL per isolate', () => {
    const due = { ...bandit(), key: 'due_a' }
    const fixed = { ...bandit({ type: 'fixed' }), key: 'fixed_a' }
    const paused = { ...transition(bandit(), { to: 'paused' }, t0), key: 'paused_a' }
    const s = snapshot([due, fixed, paused])
    expect(dueBandits(s, later(HOUR - 1).getTime())).toEqual([])
    expect(dueBandits(s, later(HOUR).getTime())).toEqual(['due_a'])
    expect(dueBandits(s, later(HOUR + 29).getTime())).toEqual([])
    expect(dueBandits(s, later(HOUR + 30).getTime())).toEqual(['due_a'])
  })
})
