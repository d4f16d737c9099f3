import { describe, expect, it } from 'vitest'
import { ConfigCache } from '../../src/config/config-cache'
import type { ConfigDoc } from '../../src/config/config-doc'
import type { WriteResult } from '../../src/config/config-writer'
import type { ConfigWriterApi } from '../../src/config/config-writer-api'
import { DomainError } from '../../src/core/errors'
import { Experiments } from '../../src/flows/experiments'
import { draftExperiment } from '../shared/experiments'

const experiment = draftExperiment({ key: 'banner' })
const doc: ConfigDoc = { experiments: { banner: experiment } }

/** A writer that answers every write with `result` and every read with `doc`; counts reads. */
function fakeWriter(result: WriteResult) {
  const calls = { read: 0 }
  const writer = {
    read: async () => (calls.read++, doc),
    create: async () => result,
    edit: async () => result,
    transition: async () => result,
    remove: async () => result,
    rebalance: async () => ({ status: 'not_found', message: '' }),
    sync: async () => ({ published: 1, latest: 1, kv: 1, republished: 'no' }),
  } as ConfigWriterApi
  return { writer, calls }
}

// A fresh KV stand-in per cache: the isolate cache is keyed by the binding, and nothing here reads it.
const newCache = () => new ConfigCache({} as KVNamespace, { warn: () => {} })

describe('the experiments flow over the ConfigWriter', () => {
  it('should throw a refused write as a DomainError with its kind, code, message and details', async () => {
    const refused: WriteResult = { ok: false, error: { kind: 'precondition_failed', code: 'version_mismatch', message: 'stale', details: { current: 3 } } }
    const flow = new Experiments(() => fakeWriter(refused).writer, newCache())
    const error = await flow.edit('banner', {}, 2).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DomainError)
    expect(error).toMatchObject({ kind: 'precondition_failed', code: 'version_mismatch', message: 'stale', details: { current: 3 } })
  })

  it('should install the document of every accepted write in the config cache, so the isolate sees its own write', async () => {
    const cache = newCache()
    const flow = new Experiments(() => fakeWriter({ ok: true, experiment, doc, published: 1, latest: 2 }).writer, cache)
    expect(await flow.create({})).toEqual(experiment)
    // The write's revisions are kept for the response headers (src/services.ts).
    expect(flow.publication).toEqual({ published: 1, latest: 2 })
    // A snapshot served from the cache, not from KV (the stand-in has no get: reading it would fail).
    expect((await cache.snapshot()).experiments.get('banner')?.experiment).toEqual(experiment)
  })

  it('should answer a missing key with a 404 in the caller\'s words, and never find members of Object.prototype', async () => {
    const flow = new Experiments(() => fakeWriter({ ok: true, experiment, doc, published: 1, latest: 2 }).writer, newCache())
    await expect(flow.get('constructor')).rejects.toMatchObject({ kind: 'not_found', message: 'experiment "constructor" does not exist' })
    await expect(flow.get('nope', () => 'Experiment not found')).rejects.toMatchObject({ kind: 'not_found', message: 'Experiment not found' })
    expect(await flow.get('banner')).toEqual(experiment)
  })

  it('should make the writer stub only when the writer is needed', async () => {
    let made = 0
    const flow = new Experiments(() => (made++, fakeWriter({ ok: true, experiment, doc, published: 1, latest: 2 }).writer), newCache())
    expect(made).toBe(0)
    await flow.list()
    expect(made).toBe(1)
  })
})
