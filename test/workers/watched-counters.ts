// The COUNTERS Durable Object binding, watched: tests count the store calls a request makes (at the
// binding, below every layer of ours) and make chosen shards fail.
import { env } from './helpers'

/** One call to a counter shard: the method and the shard's name. */
export type ShardCall = { method: string; shard: string }

/**
 * The COUNTERS binding with every call to a shard recorded by method and shard name; `failing`
 * names shards whose calls reject, as a shard that does not answer; `delayMs` holds every call
 * that long before it reaches the shard, as a slow store.
 */
export function watchedCounters(failing: ReadonlySet<string> = new Set(), delayMs = 0) {
  const calls: ShardCall[] = []
  const names = new Map<string, string>()
  const real = env.COUNTERS
  const namespace = {
    idFromName(name: string) {
      const id = real.idFromName(name)
      names.set(id.toString(), name)
      return id
    },
    get(id: DurableObjectId) {
      const shard = names.get(id.toString()) ?? id.toString()
      const stub = real.get(id) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
      return new Proxy(
        {},
        {
          get: (_, method: string) =>
            (...args: unknown[]) => {
              calls.push({ method, shard })
              if (failing.has(shard)) return Promise.reject(new Error(`shard ${shard} is down`))
              return delayMs ? new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => stub[method]!(...args)) : stub[method]!(...args)
            },
        },
      )
    },
  }
  return { calls, namespace: namespace as unknown as Env['COUNTERS'] }
}
