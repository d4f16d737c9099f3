import { describe, expect, it } from 'vitest'
import type { ConfigSnapshot } from '../../../src/config/config-doc'
import { assign } from '../../../src/core/assign'
import type { CompiledExperiment } from '../../../src/core/compile'
import { joinBuffer } from '../../../src/flows/exposure-buffer'
import { newVisitor } from '../../../src/flows/new-visitor'
import { requestContext } from '../../../src/flows/request-context'
import type { CounterStore } from '../../../src/store/counter-store'
import { objectNameOf } from '../../../src/store/shard-router'
import { runningExperiment } from '../../shared/experiments'

const snapshotOf = (...targets: CompiledExperiment[]): ConfigSnapshot => ({ experiments: new Map(targets.map((t) => [t.experiment.key, t])), broken: new Map(), active: targets })

// One exposure call of this isolate, through the buffer's own path: it ends the window.
const store = { kind: 'recorder', recordExposures: async () => ({}) } as unknown as CounterStore
async function oneCall(): Promise<void> {
  await joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [{ unit: 'u', variant: 'a', allocationVersion: 1, day: '2026-12-01' }] }], 0).write
}

describe('new visitors placed on the window’s shard', () => {
  const four = runningExperiment({ key: 'four', shards: 4 })
  const eight = runningExperiment({ key: 'eight', shards: 8 })
  const three = runningExperiment({ key: 'three', shards: 3 })

  it('should put the new visitors of one window on one counter object of every experiment whose shard count divides the largest', () => {
    const snapshot = snapshotOf(four, eight)
    const ids = Array.from({ length: 50 }, () => newVisitor(snapshot))
    expect(new Set(ids).size).toBe(50)
    for (const e of [four, eight]) expect(new Set(ids.map((id) => objectNameOf(e.counterKey, id))).size).toBe(1)
  })

  it('should draw each window’s shard anew after an exposure call, so that every shard gets its share', async () => {
    const snapshot = snapshotOf(four)
    const counts = new Map<string, number>()
    for (let i = 0; i < 400; i++) {
      const o = objectNameOf(four.counterKey, newVisitor(snapshot))
      counts.set(o, (counts.get(o) ?? 0) + 1)
      await oneCall()
    }
    // 100 a shard expected; the standard deviation of each count is ~8.7, so 45 is over 5 of them.
    expect(counts.size).toBe(4)
    for (const n of counts.values()) expect(Math.abs(n - 100)).toBeLessThan(45)
  })

  it('should leave an experiment whose shard count does not divide the largest spread as random ids would be', () => {
    const ids = Array.from({ length: 400 }, () => newVisitor(snapshotOf(four, three)))
    expect(new Set(ids.map((id) => objectNameOf(four.counterKey, id))).size).toBe(1)
    expect(new Set(ids.map((id) => objectNameOf(three.counterKey, id))).size).toBe(3)
  })

  it('should make any id when no experiment is active', () => {
    expect(newVisitor(snapshotOf())).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('should still split the visitors of one shard evenly between variants: placing ids does not bias assignment', async () => {
    const experiment = runningExperiment({ key: 'split', shards: 4 })
    const snapshot = snapshotOf(experiment)
    const n = 20_000
    let treatment = 0
    for (let i = 0; i < n; i++) {
      const unit = newVisitor(snapshot)
      if ((await assign(experiment, requestContext(unit, { device: 'desktop', bot: false }))).variant === 'treatment') treatment++
    }
    // A fair 50/50 split has a standard deviation of sqrt(n / 4) ≈ 71 here: 5 of them is ~355.
    expect(Math.abs(treatment - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4))
  })
})
