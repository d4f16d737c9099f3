// The COUNTERS Durable Object binding, watched: tests count the store calls a request makes (at the
// binding, below every layer of ours) and make chosen shards fail.
import { allObjects, scopeOf } from '../../src/store/shard-router'
import { env } from './helpers'

/** One call to a counter object: the method, the object's name and the experiment scopes it carried. */
export type ShardCall = { method: string; shard: string; scopes: string[] }

/** The names of an experiment's counter objects (src/store/shard-router.ts), to make them fail. */
export const objectNames = (counterKey: string): string[] => allObjects(counterKey).map((o) => o.name)

/** The calls that carried the experiment named by `counterKey` (its own objects, or its scope in pooled ones). */
export function callsFor(calls: readonly ShardCall[], counterKey: string): ShardCall[] {
  const names = new Set(objectNames(counterKey))
  const scope = scopeOf(counterKey)
  return calls.filter((c) => names.has(c.shard) && (scope === '' || c.scopes.includes(scope)))
}

// The scopes a CounterShard call names (src/store/durable-object/counter-shard.ts): batches carry
// theirs, getSticky takes a list, the per-experiment reads take one.
function scopesOf(args: unknown[]): string[] {
  const first = args[0]
  if (typeof first === 'string') return [first]
  if (Array.isArray(first)) return [...new Set(first.map((b) => (typeof b === 'string' ? b : (b as { scope: string }).scope)))]
  return []
}

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
              calls.push({ method, shard, scopes: scopesOf(args) })
              if (failing.has(shard)) return Promise.reject(new Error(`shard ${shard} is down`))
              return delayMs ? new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => stub[method]!(...args)) : stub[method]!(...args)
            },
        },
      )
    },
  }
  return { calls, namespace: namespace as unknown as Env['COUNTERS'] }
}
