import type { MiddlewareHandler } from 'hono'
import * as z from 'zod/mini'
import { HOSTNAME } from './admin/host'
import { dueBandits, rebalanceDue } from './config/bandit-trigger'
import { ConfigCache } from './config/config-cache'
import { describeIssues } from './core/validate'
import type { AppEnv, ConfigWriterApi, Services } from './env'
import { errorResponse } from './http/errors'
import { selectCounterStore } from './store/select-store'

// The site middleware's path patterns and cookie names (src/site/settings.ts reads them).
const SITE_PATTERNS = /^$|^\s*\/[^,\s]*(\s*,\s*\/[^,\s]*)*\s*$/
const COOKIE_NAME = /^$|^[A-Za-z0-9_.-]{1,64}$/

/** The deployment's variables, checked once per isolate: a bad deployment says what is wrong. */
const EnvSchema = z.object({
  ENVIRONMENT: z.string().check(z.minLength(1, 'set ENVIRONMENT (e.g. "production") in wrangler.toml [vars]')),
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(16, 'ADMIN_TOKEN must be at least 16 characters: generate one with `openssl rand -hex 32`'))),
  ADMIN_HOST: z.optional(z.string().check(z.regex(HOSTNAME, 'ADMIN_HOST must be a hostname such as admin.example.com (no scheme, port or path), or unset to serve the dashboard on every host'))),
  UPSTASH_REDIS_REST_URL: z.optional(z.string().check(z.regex(/^https?:\/\//, 'UPSTASH_REDIS_REST_URL must be the https:// REST URL from the Upstash console'))),
  UPSTASH_REDIS_REST_TOKEN: z.optional(z.string().check(z.minLength(1))),
  ORIGIN_URL: z.optional(z.string().check(z.regex(/^$|^passthrough$|^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'ORIGIN_URL must be the origin\'s http(s) URL (e.g. https://origin.example.com), "passthrough", or unset for the demo site'))),
  COOKIE_SECRET: z.optional(z.string().check(z.minLength(16, 'COOKIE_SECRET must be at least 16 characters: generate one with `openssl rand -hex 32`'))),
  COOKIE_DOMAIN: z.optional(z.string().check(z.regex(/^$|^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'COOKIE_DOMAIN must be a domain such as example.com or .example.com'))),
  SITE_INCLUDE: z.optional(z.string().check(z.regex(SITE_PATTERNS, 'SITE_INCLUDE must be comma-separated paths starting with "/", e.g. "/,/pricing*"'))),
  SITE_EXCLUDE: z.optional(z.string().check(z.regex(SITE_PATTERNS, 'SITE_EXCLUDE must be comma-separated paths starting with "/", e.g. "/static/*,/assets/*"'))),
  UID_COOKIE_NAME: z.optional(z.string().check(z.regex(COOKIE_NAME, 'UID_COOKIE_NAME must be a cookie name (letters, digits, "_", "-", ".")'))),
  ASSIGNMENT_COOKIE_NAME: z.optional(z.string().check(z.regex(COOKIE_NAME, 'ASSIGNMENT_COOKIE_NAME must be a cookie name (letters, digits, "_", "-", ".")'))),
  EVENT_MAX_AGE_SECONDS: z.optional(z.string('EVENT_MAX_AGE_SECONDS must be a string such as "3600"').check(z.regex(/^[1-9]\d{0,9}$/, 'EVENT_MAX_AGE_SECONDS must be a whole number of seconds ≥ 1 (values above 604500, the 7-day dedup window less 5 minutes, are clamped to it)'))),
})

const checked = new WeakMap<object, string[]>()

/** Problems with the deployment's bindings and variables (empty when it is sound). */
export function envProblems(env: Env): string[] {
  let problems = checked.get(env)
  if (!problems) {
    const result = EnvSchema.safeParse(env)
    problems = result.success ? [] : describeIssues(result.error.issues)
    if (!env.CONFIG) problems.push('CONFIG: bind a KV namespace (see README "Deploy")')
    if (!env.CONFIG_WRITER) problems.push('CONFIG_WRITER: bind the ConfigWriter Durable Object (see wrangler.toml)')
    if (!env.EVENT_LOG) problems.push('EVENT_LOG: bind the EventLog Durable Object (see wrangler.toml)')
    if (!!env.UPSTASH_REDIS_REST_URL !== !!env.UPSTASH_REDIS_REST_TOKEN) {
      problems.push('set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (`wrangler secret put`), or neither to use the Durable Object store')
    }
    if (!env.UPSTASH_REDIS_REST_URL && !env.COUNTERS) problems.push('COUNTERS: bind the CounterShard Durable Object (see wrangler.toml)')
    checked.set(env, problems)
  }
  return problems
}

/** Builds `c.var.services` from the bindings; the writer stub is made only when used. */
export function services(): MiddlewareHandler<AppEnv> {
  return async function servicesMiddleware(c, next) {
    const env = c.env
    const problems = envProblems(env)
    if (problems.length) return errorResponse(c, 503, 'misconfigured', `this deployment is misconfigured: ${problems.join('; ')}`)
    let writer: ConfigWriterApi | undefined
    const getWriter = () => (writer ??= env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName('global')) as unknown as ConfigWriterApi)
    const development = env.ENVIRONMENT === 'development'
    const s: Services = {
      config: new ConfigCache(env.CONFIG, {
        onMissing: development ? () => getWriter().read() : undefined,
        // Bandits reweight lazily: a fresh config read that finds one due asks the ConfigWriter, after the response.
        onLoad: (snapshot) => {
          const due = dueBandits(snapshot, Date.now())
          if (due.length) s.background(rebalanceDue(getWriter(), s.config, due))
        },
      }),
      get writer() {
        return getWriter()
      },
      store: selectCounterStore(env),
      environment: env.ENVIRONMENT,
      adminToken: env.ADMIN_TOKEN || undefined,
      background: (work) => c.executionCtx.waitUntil(work.catch((error: unknown) => console.warn(`background work failed: ${(error as Error)?.message ?? error}`))),
    }
    c.set('services', s)
    await next()
  }
}
