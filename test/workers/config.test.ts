import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CONFIG_KV_KEY } from '../../src/config/config-doc'
import worker from '../../src/index'
import { draftExperiment } from '../shared/experiments'
import { transition } from '../../src/core/lifecycle'

type ScratchEnv = Env & { CONFIG_SCRATCH: KVNamespace }
const scratch = (env as ScratchEnv).CONFIG_SCRATCH

/** A real KV namespace wrapped so the test can count reads; a fresh wrapper is a cold isolate cache. */
function countingKv(): { kv: KVNamespace; reads: () => number } {
  let reads = 0
  const kv = new Proxy(scratch, {
    get(target, prop) {
      const value = Reflect.get(target, prop)
      if (prop === 'get') return (...args: unknown[]) => (reads++, (value as Function).apply(target, args))
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { kv, reads: () => reads }
}

async function fetchWith(kv: KVNamespace, path: string): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`http://edgesplit.test${path}`), { ...env, CONFIG: kv } as Env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const running = (key: string, fields: Record<string, unknown> = {}) =>
  transition(draftExperiment({ key, ...fields }), { to: 'running' }, new Date('2026-11-01T00:00:00Z'))

describe('config read path', () => {
  afterEach(async () => {
    vi.restoreAllMocks()
    await scratch.delete(CONFIG_KV_KEY)
  })

  it('should read KV once per isolate per TTL, not once per assignment', async () => {
    await scratch.put(CONFIG_KV_KEY, JSON.stringify({ experiments: { warm: running('warm') } }))
    const { kv, reads } = countingKv()
    for (let i = 0; i < 25; i++) expect((await fetchWith(kv, `/v1/assign?unit=u${i}&experiments=warm`)).status).toBe(200)
    expect(reads()).toBe(1)
  })

  it('should serve the last good config, with a warning, when the stored value turns corrupt', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await scratch.put(CONFIG_KV_KEY, JSON.stringify({ experiments: { good: running('good', { fallback: 'treatment' }) } }))
    const { kv } = countingKv()
    const before = await (await fetchWith(kv, '/v1/assign?unit=u1&experiments=good')).json<any>()
    await scratch.put(CONFIG_KV_KEY, '{"experiments": {"good": ')
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 31_000) // past the 30 s isolate TTL: the next request re-reads KV
    try {
      const res = await fetchWith(kv, '/v1/assign?unit=u1&experiments=good')
      expect(res.status).toBe(200)
      expect((await res.json<any>()).assignments.good).toEqual(before.assignments.good)
    } finally {
      vi.useRealTimers()
    }
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not valid JSON.*keeping the last good config/))
  })

  it('should serve the fallback, never a 5xx, for an experiment whose stored value is invalid', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = { ...running('broken'), fallback: 'treatment', variants: [{ key: 'control', weight: -1 }] }
    await scratch.put(CONFIG_KV_KEY, JSON.stringify({ experiments: { broken, fine: running('fine') } }))
    const { kv } = countingKv()
    const res = await fetchWith(kv, '/v1/assign?unit=u1&experiments=broken,fine')
    expect(res.status).toBe(200)
    const body = await res.json<any>()
    expect(body.assignments.broken).toMatchObject({ variant: 'treatment', reason: 'fallback', enrolled: false })
    expect(body.assignments.fine.reason).toBe('hash')
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/experiment "broken" is invalid \(variants.*serving its fallback/))
  })

  it('should answer with no experiments, not an error, when the config is missing entirely', async () => {
    const { kv } = countingKv()
    const res = await fetchWith(kv, '/v1/assign?unit=u1')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ unit: 'u1', assignments: {} })
  })

  it('should keep assigning from the last good config when KV itself fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await scratch.put(CONFIG_KV_KEY, JSON.stringify({ experiments: { flaky: running('flaky') } }))
    let fail = false
    const kv = new Proxy(scratch, {
      get(target, prop) {
        const value = Reflect.get(target, prop)
        if (prop === 'get') return (...args: unknown[]) => (fail ? Promise.reject(new Error('KV unavailable')) : (value as Function).apply(target, args))
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    expect((await (await fetchWith(kv, '/v1/assign?unit=u1&experiments=flaky')).json<any>()).assignments.flaky.reason).toBe('hash')
    fail = true
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 31_000)
    try {
      const res = await fetchWith(kv, '/v1/assign?unit=u1&experiments=flaky')
      expect(res.status).toBe(200)
      expect((await res.json<any>()).assignments.flaky.reason).toBe('hash')
    } finally {
      vi.useRealTimers()
    }
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/reading KV failed \(KV unavailable\)/))
  })
})
