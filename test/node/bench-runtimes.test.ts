import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { edgesplitWorker, storedInMemory } from '../../tools/bench/bindings.mjs'
import { storageDir, threadStops, workerdConfig } from '../../tools/bench/runtimes.mjs'

describe('where the bench keeps the counter objects\' SQLite files (tools/bench/runtimes.mjs)', () => {
  const spec = edgesplitWorker([])

  it('should keep them on disk, in the Worker\'s own workerd directory, unless told otherwise', () => {
    expect(storageDir(spec, '/bench/workerd/edgesplit')).toBe('/bench/workerd/edgesplit/do-storage')
  })

  it('should keep them in /dev/shm, under the spec\'s own name, for a spec stored in memory', () => {
    const inMemory = storedInMemory(spec, 'edgesplit-tmpfs')
    expect(inMemory.name).toBe('edgesplit-tmpfs')
    expect(storageDir(inMemory, '/bench/workerd/edgesplit-tmpfs')).toBe('/dev/shm/edgesplit-bench-edgesplit-tmpfs')
    // The same Worker otherwise: the same modules, vars and Durable Object bindings.
    expect({ ...inMemory, name: spec.name, storage: undefined }).toEqual({ ...spec, storage: undefined })
  })

  it('should point workerd\'s Durable Object storage service at that directory', () => {
    const config = workerdConfig(spec, 8787, {}, '/dev/shm/edgesplit-bench-x')
    expect(config).toContain('durableObjectStorage = (localDisk = "do-storage")')
    expect(config).toContain('(name = "do-storage", disk = (path = "/dev/shm/edgesplit-bench-x", writable = true))')
  })
})

describe('the main thread\'s stops the bench counts (tools/bench/runtimes.mjs, threadStops)', () => {
  it('should count each time this process\'s main thread blocks', () => {
    const before = threadStops([process.pid])
    // Each synchronous child blocks this thread until it exits: one wait, at least, apiece.
    for (let i = 0; i < 5; i++) spawnSync('sleep', ['0.01'])
    expect(threadStops([process.pid]) - before).toBeGreaterThanOrEqual(5)
  })

  it('should count nothing for a process that does not exist', () => {
    expect(threadStops([2 ** 30])).toBe(0)
  })
})
