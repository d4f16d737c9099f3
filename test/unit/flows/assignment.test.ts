import { describe, expect, it } from 'vitest'
import type { CompiledExperiment } from '../../../src/core/compile'
import type { ConfigSnapshot } from '../../../src/config/config-doc'
import { assignmentFlow } from '../../../src/flows/assignment'
import type { VisitorFacts } from '../../../src/flows/request-context'
import type { StickyRecord } from '../../../src/core/assign'
import type { CounterStore, ExposureInput } from '../../../src/store/counter-store'
import { runningExperiment } from '../../shared/experiments'

/** A store that records what the flow asked of it; sticky records by counter key. */
function fakeStore(records: Record<string, StickyRecord> = {}) {
  const calls = { getSticky: [] as string[][], exposures: [] as { experiment: string; exposures: readonly ExposureInput[] }[] }
  const store = {
    kind: 'fake',
    async getSticky(experiments: readonly string[]) {
      calls.getSticky.push([...experiments])
      return Object.fromEntries(experiments.flatMap((k) => (records[k] ? [[k, records[k]]] : [])))
    },
    async recordExposures(batches: readonly { experiment: string; exposures: readonly ExposureInput[] }[]) {
      calls.exposures.push(...batches)
      return {}
    },
  } as unknown as CounterStore
  return { store, calls }
}

/** Facts that count how often each one is read. */
function countingFacts(country = 'DE') {
  const reads = { country: 0, device: 0, bot: 0 }
  const facts: VisitorFacts = {
    get country() {
      reads.country++
      return country
    },
    get device() {
      reads.device++
      return 'desktop' as const
    },
    get bot() {
      reads.bot++
      return false
    },
  }
  return { facts, reads }
}

function snapshotOf(...targets: CompiledExperiment[]): ConfigSnapshot {
  return { experiments: new Map(targets.map((t) => [t.experiment.key, t])), broken: new Map(), active: targets }
}

/** A running experiment whose sticky records can matter (as after a restart or a reweight). */
function sticky(key: string): CompiledExperiment {
  return { ...runningExperiment({ key }), stickyMatters: true }
}

describe('the assignment flow', () => {
  it('should read no country and touch no store when no rule needs them', async () => {
    const { store, calls } = fakeStore()
    const { facts, reads } = countingFacts()
    const snapshot = snapshotOf(runningExperiment({ key: 'plain' }))
    const out = await assignmentFlow({ config: { snapshot: async () => snapshot }, store }).assign({ unit: 'u-1', facts })
    expect(out.assignments).toEqual([expect.objectContaining({ experiment: 'plain', reason: 'hash' })])
    expect(reads.country).toBe(0)
    expect(calls.getSticky).toEqual([])
    expect(out.pending).toBeNull()
  })

  it('should read the country when a rule targets it, and let an override win', async () => {
    const { store } = fakeStore()
    const { facts, reads } = countingFacts('de')
    const flow = assignmentFlow({ config: { snapshot: async () => snapshotOf(runningExperiment({ key: 'geo', targeting: { countries: ['US'] } })) }, store })
    expect((await flow.assign({ unit: 'u-2', facts })).assignments[0]).toMatchObject({ reason: 'targeting' })
    const read = reads.country
    expect(read).toBeGreaterThan(0)
    expect((await flow.assign({ unit: 'u-2', facts, overrides: { country: 'us' } })).assignments[0]?.reason).toMatch(/^(hash|coverage)$/)
    expect(reads.country).toBe(read)
  })

  it('should read sticky records in one round trip only where they can matter, and never for a new id', async () => {
    const restarted = sticky('restarted')
    const { store, calls } = fakeStore({ [restarted.counterKey]: { variant: 'treatment', epoch: 1, allocationVersion: 1 } })
    const flow = assignmentFlow({ config: { snapshot: async () => snapshotOf(runningExperiment({ key: 'fresh' }), restarted) }, store })
    const { facts } = countingFacts()
    const out = await flow.assign({ unit: 'returning', facts })
    expect(calls.getSticky).toEqual([[restarted.counterKey]])
    expect(out.assignments[1]).toMatchObject({ experiment: 'restarted', variant: 'treatment', reason: 'sticky' })
    expect(out.sticky).toEqual({ restarted: { variant: 'treatment', epoch: 1, allocationVersion: 1 } })
    await flow.assign({ unit: 'brand-new', facts, stored: false })
    expect(calls.getSticky).toHaveLength(1)
  })

  it('should prefer records the caller holds over the store', async () => {
    const restarted = sticky('held')
    const { store, calls } = fakeStore({ [restarted.counterKey]: { variant: 'treatment', epoch: 1, allocationVersion: 1 } })
    const flow = assignmentFlow({ config: { snapshot: async () => snapshotOf(restarted) }, store })
    const out = await flow.assign({ unit: 'u-3', facts: countingFacts().facts, known: { held: { variant: 'control', epoch: 1 } } })
    expect(out.assignments[0]).toMatchObject({ variant: 'control', reason: 'sticky' })
    expect(calls.getSticky).toEqual([])
  })

  it('should refuse unknown named experiments and give an unreadable one its fallback, uncounted', async () => {
    const { store } = fakeStore()
    const snapshot: ConfigSnapshot = { ...snapshotOf(runningExperiment({ key: 'ok' })), broken: new Map([['bad', { key: 'bad', fallback: 'control', problem: 'corrupt' }]]) }
    const flow = assignmentFlow({ config: { snapshot: async () => snapshot }, store })
    const facts = countingFacts().facts
    await expect(flow.assign({ unit: 'u', facts, select: { keys: ['ok', 'nope', 'gone'] } })).rejects.toMatchObject({ kind: 'not_found', message: 'unknown experiments: nope, gone' })
    const out = await flow.assign({ unit: 'u', facts, select: { keys: ['bad', 'ok', 'ok'] }, track: true })
    expect(out.assignments.map((a) => [a.experiment, a.reason, a.enrolled])).toEqual([
      ['bad', 'fallback', false],
      ['ok', expect.stringMatching(/^(hash|coverage)$/), expect.any(Boolean)],
    ])
  })

  it('should hand back the exposure write of fresh, enrolled assignments only when tracking', async () => {
    const { store, calls } = fakeStore()
    const e = runningExperiment({ key: 'tracked' })
    const flow = assignmentFlow({ config: { snapshot: async () => snapshotOf(e) }, store })
    const facts = countingFacts().facts
    expect((await flow.assign({ unit: 'quiet', facts })).pending).toBeNull()
    const out = await flow.assign({ unit: 'seen', facts, track: true, now: Date.parse('2026-11-03T10:00:00Z') })
    expect(out.pending).toBeInstanceOf(Promise)
    await out.pending
    expect(calls.exposures).toEqual([{ experiment: e.counterKey, epoch: 1, exposures: [{ unit: 'seen', variant: out.assignments[0]!.variant, allocationVersion: 1, day: '2026-11-03', at: Date.parse('2026-11-03T10:00:00Z'), segments: { country: 'DE', device: 'desktop' } }] }])
    expect(flow.expose({ ...out, assignments: out.assignments.map((a) => ({ ...a, reason: 'forced' as const, enrolled: false })) })).toBeNull()
  })

  it('should confirm an unbuffered write with every experiment it carried, none when the store rejects, and null with nothing to write', async () => {
    const [one, two] = [runningExperiment({ key: 'one' }), runningExperiment({ key: 'two' })]
    const { store, calls } = fakeStore()
    const flow = assignmentFlow({ config: { snapshot: async () => snapshotOf(one, two) }, store })
    const out = await flow.assign({ unit: 'confirmed', facts: countingFacts().facts, now: Date.parse('2026-11-03T10:00:00Z') })
    expect(calls.exposures).toEqual([])
    const confirmed = flow.confirm(out)
    // This request opened the call, so it holds it; a request that joins it holds nothing.
    expect(confirmed?.write).toBeInstanceOf(Promise)
    expect(flow.confirm({ ...out, unit: 'joiner' })?.write).toBeNull()
    expect(await confirmed?.acked).toEqual(new Set(['one', 'two']))
    // One store call, straight away (not through the isolate's buffer).
    expect(calls.exposures.map((b) => b.experiment)).toEqual([one.counterKey, two.counterKey])

    const failing = { ...store, recordExposures: async () => Promise.reject(new Error('store down')) } as CounterStore
    const down = assignmentFlow({ config: { snapshot: async () => snapshotOf(one, two) }, store: failing })
    expect(await down.confirm(out)?.acked).toEqual(new Set())
    expect(down.confirm({ ...out, assignments: out.assignments.map((a) => ({ ...a, reason: 'sticky' as const })) })).toBeNull()
  })
})
