import { describe, expect, it, vi } from 'vitest'
import type { CounterStore } from '../../../src/store/counter-store'
import { bufferExposures, CONFIRM_DELAY_MS, FLUSH_SHARDS, FLUSH_SIZE, joinBuffer } from '../../../src/flows/exposure-buffer'
import { shardOf } from '../../../src/store/shard-router'

/** Records the calls it gets; this tests the buffering, not a store. */
function recorder() {
  const calls: Parameters<CounterStore['recordExposures']>[0][] = []
  const store = {
    kind: 'recorder',
    recordExposures: async (b) => (calls.push(b), {}),
  } as CounterStore
  return { store, calls }
}

// Lets the continuations of settled promises run (a few microtask hops), as the event loop does before the next timer.
const microtasks = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

const exposure = (unit: string) => ({ unit, variant: 'a', allocationVersion: 1, day: '2026-11-21' })

describe('exposure buffer', () => {
  it('should coalesce concurrent requests into one store call, once per unit', async () => {
    const { store, calls } = recorder()
    const first = bufferExposures(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u1')] }])
    expect(first).not.toBeNull()
    expect(bufferExposures(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u2'), exposure('u1')] }])).toBeNull()
    expect(bufferExposures(store, [{ experiment: 'f', epoch: 2, exposures: [exposure('u1')] }])).toBeNull()
    await first
    expect(calls).toEqual([
      [
        { experiment: 'e', epoch: 1, exposures: [exposure('u1'), exposure('u2')] },
        { experiment: 'f', epoch: 2, exposures: [exposure('u1')] },
      ],
    ])
    const next = bufferExposures(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u3')] }])
    await next
    expect(calls).toHaveLength(2)
  })

  it('should write at once when the buffer is full', async () => {
    const { store, calls } = recorder()
    const opener = bufferExposures(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('x')] }])
    const many = Array.from({ length: FLUSH_SIZE }, (_, i) => exposure(`m${i}`))
    const full = bufferExposures(store, [{ experiment: 'e', epoch: 1, exposures: many }])
    expect(full).not.toBeNull()
    await full
    expect(calls[0]![0]!.exposures).toHaveLength(FLUSH_SIZE + 1)
    await opener // the opener's timer finds its buffer already written and does nothing
    expect(calls).toHaveLength(1)
  })

  it('should open a new buffer when a request would take the open one past FLUSH_SHARDS counter shards, so no flush makes more calls than that', async () => {
    const { store, calls } = recorder()
    // Ten experiments of 48 shards each: units land on many shards long before FLUSH_SIZE exposures.
    const experiments = Array.from({ length: 10 }, (_, i) => `exp${i}:inst/48`)
    const flushes: Promise<unknown>[] = []
    for (let u = 0; u < 40; u++) {
      const write = bufferExposures(store, experiments.map((experiment) => ({ experiment, epoch: 1, exposures: [exposure(`unit-${u}`)] })))
      if (write) flushes.push(write)
    }
    await Promise.all(flushes)
    // Every buffer got its own opener (and waitUntil), and each still coalesced several requests.
    expect(flushes.length).toBe(calls.length)
    expect(calls.length).toBeGreaterThan(1)
    expect(calls.length).toBeLessThan(40)
    for (const call of calls) {
      const shards = new Set(call.flatMap((b) => b.exposures.map((e) => shardOf(b.experiment, e.unit))))
      expect(shards.size).toBeLessThanOrEqual(FLUSH_SHARDS)
    }
    expect(calls.flatMap((c) => c.flatMap((b) => b.exposures)).length).toBe(400)
  })

  it('should let every request of a short window wait on the one call that carried its exposures, true when the store took it', async () => {
    const { store, calls } = recorder()
    const first = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u1')] }], CONFIRM_DELAY_MS)
    const second = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u2')] }], CONFIRM_DELAY_MS)
    // The long window's buffer is another one: joining it does not delay the short one.
    const slow = bufferExposures(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u3')] }])
    expect(first.write).not.toBeNull()
    expect(second.write).toBeNull()
    expect(await Promise.all([first.written, second.written])).toEqual([true, true])
    expect(calls).toEqual([[{ experiment: 'e', epoch: 1, exposures: [exposure('u1'), exposure('u2')] }]])
    await slow
    expect(calls).toHaveLength(2)
  })

  it('should answer false to every request of a window whose call the store refused, and never reject', async () => {
    const store = { kind: 'failing', recordExposures: async () => Promise.reject(new Error('shard down')) } as unknown as CounterStore
    const first = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u1')] }], CONFIRM_DELAY_MS)
    const second = joinBuffer(store, [{ experiment: 'f', epoch: 1, exposures: [exposure('u1')] }], CONFIRM_DELAY_MS)
    expect(await Promise.all([first.written, second.written])).toEqual([false, false])
    // The opener's write, the one a waitUntil holds, settles without rejecting too.
    await expect(first.write).resolves.toBeUndefined()
    expect(second.write).toBeNull()
  })

  it('should send a short window on the next turn when no call is out, and gather the window while one is', async () => {
    vi.useFakeTimers()
    try {
      const calls: string[][] = []
      const release: (() => void)[] = []
      const store = {
        kind: 'held',
        recordExposures: (b) => (calls.push(b.flatMap((x) => x.exposures.map((e) => e.unit))), new Promise((resolve) => release.push(() => resolve({})))),
      } as CounterStore
      const lone = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u1')] }], CONFIRM_DELAY_MS)
      // Requests of the same turn join it; the call leaves on the next turn, with no wait beyond it.
      joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u0')] }], CONFIRM_DELAY_MS)
      await Promise.resolve()
      expect(calls).toEqual([])
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toEqual([['u1', 'u0']])
      // While it is out, later requests wait for the window and share one call.
      const next = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u2')] }], CONFIRM_DELAY_MS)
      joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u3')] }], CONFIRM_DELAY_MS)
      await vi.advanceTimersByTimeAsync(CONFIRM_DELAY_MS - 1)
      expect(calls).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(calls).toEqual([['u1', 'u0'], ['u2', 'u3']])
      release.forEach((r) => r())
      expect(await Promise.all([lone.written, next.written])).toEqual([true, true])
      // Nothing is out any more: the next lone request goes on the next turn again.
      const last = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('u4')] }], CONFIRM_DELAY_MS)
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toHaveLength(3)
      // Released, so that no call of this isolate is out for the next test.
      release.forEach((r) => r())
      expect(await last.written).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('should hold a lone window until what the request awaits has answered (then a turn), or CONFIRM_DELAY_MS', async () => {
    vi.useFakeTimers()
    try {
      const calls: string[][] = []
      const store = { kind: 'recorder', recordExposures: async (b) => (calls.push(b.flatMap((x) => x.exposures.map((e) => e.unit))), {}) } as CounterStore
      let answer!: () => void
      const origin = new Promise<void>((resolve) => (answer = resolve))
      const page = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('p1')] }], CONFIRM_DELAY_MS, origin)
      // Not on the next turn, as without `after`: the origin request leaves the isolate first.
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toEqual([])
      answer()
      // Its answer's continuations run first (a microtask flush): the write waits a turn for them.
      await microtasks()
      expect(calls).toEqual([])
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toEqual([['p1']])
      expect(await page.written).toBe(true)
      // An origin that has not answered within the window does not hold the write.
      const slow = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('p2')] }], CONFIRM_DELAY_MS, new Promise(() => {}))
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(CONFIRM_DELAY_MS)
      await microtasks()
      await vi.advanceTimersByTimeAsync(1)
      expect(calls).toEqual([['p1'], ['p2']])
      expect(await slow.written).toBe(true)
      // Nor does one that failed: the exposures were made whatever the origin answers.
      const failed = joinBuffer(store, [{ experiment: 'e', epoch: 1, exposures: [exposure('p3')] }], CONFIRM_DELAY_MS, Promise.reject(new Error('origin down')))
      await microtasks()
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toEqual([['p1'], ['p2'], ['p3']])
      expect(await failed.written).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
