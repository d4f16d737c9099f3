import type { ConfigCache } from './config/config-cache'
import type { ConfigDoc } from './config/config-doc'
import type { WriteResult } from './config/config-writer'
import type { Transition } from './core/lifecycle'
import type { CounterStore } from './store/counter-store'

declare global {
  namespace Cloudflare {
    // Secrets and optional vars: set with `wrangler secret put` / `--var`, so `wrangler types` cannot see them.
    interface Env {
      ADMIN_TOKEN?: string
      UPSTASH_REDIS_REST_URL?: string
      UPSTASH_REDIS_REST_TOKEN?: string
    }
  }
}

/** What every handler reads from `c.var.services`; handlers never touch `c.env` directly. */
export type Services = {
  config: ConfigCache
  writer: ConfigWriterApi
  /** The counter store, guarded: every call resolves within 1 s or throws StoreUnavailableError. */
  store: CounterStore
  environment: string
  adminToken: string | undefined
  /** Runs work after the response (exposure logging); failures are logged, never surfaced. */
  background: (work: Promise<unknown>) => void
}

/** The Hono environment of the whole app. */
export type AppEnv = { Bindings: Env; Variables: { services: Services } }

/**
 * The ConfigWriter's RPC surface as plain promises (the generated stub type is too deep for tsc
 * to check through Hono's handler types).
 */
export type ConfigWriterApi = {
  read(): Promise<ConfigDoc>
  create(body: unknown): Promise<WriteResult>
  edit(key: string, body: unknown, expectedVersion?: number): Promise<WriteResult>
  transition(key: string, t: Transition, expectedVersion?: number): Promise<WriteResult>
  remove(key: string, expectedVersion?: number): Promise<WriteResult>
  seed(bodies: unknown[]): Promise<ConfigDoc>
}
