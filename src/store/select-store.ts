import type { CounterStore } from './counter-store'
import type { CounterShard } from './durable-object/counter-shard'
import { DurableObjectCounterStore } from './durable-object/durable-object-store'
import { guardedStore } from './guarded-store'
import { UpstashCounterStore } from './upstash/upstash-store'

/** The bindings that choose a counter store. */
export type StoreBindings = { COUNTERS: DurableObjectNamespace<CounterShard>; UPSTASH_REDIS_REST_URL?: string; UPSTASH_REDIS_REST_TOKEN?: string }

// Keyed by what identifies the store (not by `env`, which a runtime may hand out anew per request),
// so an isolate keeps one store, and with it one exposure buffer (src/flows/exposure-buffer.ts).
const byNamespace = new WeakMap<object, CounterStore>()
const byUrl = new Map<string, CounterStore>()

/**
 * Upstash Redis when `UPSTASH_REDIS_REST_URL` and `UPSTASH_REDIS_REST_TOKEN` are set, else the
 * embedded Durable Object store; built once per isolate and store, with the 1 s guard.
 */
export function selectCounterStore(env: StoreBindings): CounterStore {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env
  if (url && token) {
    const key = `${url}\n${token}`
    let store = byUrl.get(key)
    if (!store) byUrl.set(key, (store = guardedStore(new UpstashCounterStore({ url, token }))))
    return store
  }
  let store = byNamespace.get(env.COUNTERS)
  if (!store) byNamespace.set(env.COUNTERS, (store = guardedStore(new DurableObjectCounterStore(env.COUNTERS))))
  return store
}
