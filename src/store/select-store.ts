import type { CounterStore } from './counter-store'
import type { CounterShard } from './durable-object/counter-shard'
import { DurableObjectCounterStore } from './durable-object/durable-object-store'
import { guardedStore } from './guarded-store'
import { UpstashCounterStore } from './upstash/upstash-store'

/** The bindings that choose a counter store. */
export type StoreBindings = { COUNTERS: DurableObjectNamespace<CounterShard>; UPSTASH_REDIS_REST_URL?: string; UPSTASH_REDIS_REST_TOKEN?: string }

const cache = new WeakMap<object, CounterStore>()

/**
 * Upstash Redis when `UPSTASH_REDIS_REST_URL` and `UPSTASH_REDIS_REST_TOKEN` are set, else the
 * embedded Durable Object store; built once per isolate and environment, with the 1 s guard.
 */
export function selectCounterStore(env: StoreBindings): CounterStore {
  let store = cache.get(env)
  if (!store) {
    const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env
    store = guardedStore(url && token ? new UpstashCounterStore({ url, token }) : new DurableObjectCounterStore(env.COUNTERS))
    cache.set(env, store)
  }
  return store
}
