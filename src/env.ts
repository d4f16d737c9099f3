import type { ConfigCache } from './config/config-cache'
import type { ConfigDoc } from './config/config-doc'
import type { RebalanceResult, WriteResult } from './config/config-writer'
import type { Transition } from './core/lifecycle'
import type { CounterStore } from './store/counter-store'

declare global {
  namespace Cloudflare {
    // Secrets and optional vars: set with `wrangler secret put` / `--var`, so `wrangler types` cannot see them.
    interface Env {
      ADMIN_TOKEN?: string
      /** The dashboard's own hostname (e.g. `admin.example.com`): when set, its pages answer only there. */
      ADMIN_HOST?: string
      UPSTASH_REDIS_REST_URL?: string
      UPSTASH_REDIS_REST_TOKEN?: string
      /** The site behind the middleware: an http(s) URL, `passthrough` (Worker on the site's route), or unset for the demo. */
      ORIGIN_URL?: string
      /** HMAC secret of the signed assignment cookie (a fixed dev secret is used under ENVIRONMENT=development only). */
      COOKIE_SECRET?: string
      /** `Domain` of the middleware's cookies, e.g. `.example.com` to share them across subdomains. */
      COOKIE_DOMAIN?: string
      /** Comma-separated path patterns (`*` wildcard) the middleware personalises; unset: all. */
      SITE_INCLUDE?: string
      /** Comma-separated path patterns passed to the origin untouched (`/static/*,/assets/*`). */
      SITE_EXCLUDE?: string
      /** Name of the visitor id cookie (default `edgesplit_uid`). */
      UID_COOKIE_NAME?: string
      /** Name of the signed assignment cookie (default `edgesplit_asg`). */
      ASSIGNMENT_COOKIE_NAME?: string
      /** Oldest event ts counted, in seconds (default and maximum 604500: 7 days, the dedup window, less 5 minutes). */
      EVENT_MAX_AGE_SECONDS?: string
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
  /** The bandit step: reweights a due bandit experiment from its counts (at most once per period). */
  rebalance(key: string): Promise<RebalanceResult>
}
