import * as z from 'zod/mini'
import { describeIssues } from './core/validate'

// The site middleware's path patterns and cookie names.
const SITE_PATTERNS = /^$|^\s*\/[^,\s]*(\s*,\s*\/[^,\s]*)*\s*$/
const COOKIE_NAME = /^$|^[A-Za-z0-9_.-]{1,64}$/
/** A hostname as `ADMIN_HOST` takes it: DNS labels of letters, digits and inner hyphens, no scheme, port, path or wildcard. */
const HOSTNAME = /^$|^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/

/**
 * The deployment's variables: the only place they are declared (the `Env` type below and every
 * setting in `c.var.services` derive from it). Checked once per isolate; a bad deployment says
 * what is wrong. Bindings (KV, Durable Objects) are declared by wrangler.toml.
 */
export const EnvSchema = z.object({
  ENVIRONMENT: z.string().check(z.minLength(1, 'set ENVIRONMENT (e.g. "production") in wrangler.toml [vars]')),
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(16, 'ADMIN_TOKEN must be at least 16 characters: generate one with `openssl rand -hex 32`'))),
  /** The dashboard's own hostname (e.g. `admin.example.com`): when set, its pages answer only there. */
  ADMIN_HOST: z.optional(z.string().check(z.regex(HOSTNAME, 'ADMIN_HOST must be a hostname such as admin.example.com (no scheme, port or path), or unset to serve the dashboard on every host'))),
  UPSTASH_REDIS_REST_URL: z.optional(z.string().check(z.regex(/^https?:\/\//, 'UPSTASH_REDIS_REST_URL must be the https:// REST URL from the Upstash console'))),
  UPSTASH_REDIS_REST_TOKEN: z.optional(z.string().check(z.minLength(1))),
  /** The site behind the middleware: an http(s) URL, `passthrough` (Worker on the site's route), or unset for the demo. */
  ORIGIN_URL: z.optional(z.string().check(z.regex(/^$|^passthrough$|^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'ORIGIN_URL must be the origin\'s http(s) URL (e.g. https://origin.example.com), "passthrough", or unset for the demo site'))),
  /** HMAC secret of the signed assignment cookie (a fixed dev secret is used under ENVIRONMENT=development only). */
  COOKIE_SECRET: z.optional(z.string().check(z.minLength(16, 'COOKIE_SECRET must be at least 16 characters: generate one with `openssl rand -hex 32`'))),
  /** `Domain` of the middleware's cookies, e.g. `.example.com` to share them across subdomains. */
  COOKIE_DOMAIN: z.optional(z.string().check(z.regex(/^$|^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'COOKIE_DOMAIN must be a domain such as example.com or .example.com'))),
  /** Comma-separated path patterns (`*` wildcard) the middleware personalises; unset: all. */
  SITE_INCLUDE: z.optional(z.string().check(z.regex(SITE_PATTERNS, 'SITE_INCLUDE must be comma-separated paths starting with "/", e.g. "/,/pricing*"'))),
  /** Comma-separated path patterns passed to the origin untouched (`/static/*,/assets/*`). */
  SITE_EXCLUDE: z.optional(z.string().check(z.regex(SITE_PATTERNS, 'SITE_EXCLUDE must be comma-separated paths starting with "/", e.g. "/static/*,/assets/*"'))),
  /** Name of the visitor id cookie (default `edgesplit_uid`). */
  UID_COOKIE_NAME: z.optional(z.string().check(z.regex(COOKIE_NAME, 'UID_COOKIE_NAME must be a cookie name (letters, digits, "_", "-", ".")'))),
  /** Name of the signed assignment cookie (default `edgesplit_asg`). */
  ASSIGNMENT_COOKIE_NAME: z.optional(z.string().check(z.regex(COOKIE_NAME, 'ASSIGNMENT_COOKIE_NAME must be a cookie name (letters, digits, "_", "-", ".")'))),
  /** Oldest event ts counted, in seconds (default and maximum 604500: 7 days, the dedup window, less 5 minutes). */
  EVENT_MAX_AGE_SECONDS: z.optional(z.string('EVENT_MAX_AGE_SECONDS must be a string such as "3600"').check(z.regex(/^[1-9]\d{0,9}$/, 'EVENT_MAX_AGE_SECONDS must be a whole number of seconds ≥ 1 (values above 604500, the 7-day dedup window less 5 minutes, are clamped to it)'))),
  /** Counter shards of experiments created without `shards` (default 32; docs/scale.md). */
  COUNTER_SHARDS: z.optional(z.string().check(z.regex(/^([1-9]|[1-3]\d|4[0-8])$/, 'COUNTER_SHARDS must be 1 to 48'))),
})

/** The deployment's variables after parsing. */
export type EnvVars = z.output<typeof EnvSchema>

declare global {
  namespace Cloudflare {
    // Secrets and optional vars (`wrangler secret put`, `--var`), which `wrangler types` cannot see: taken from EnvSchema.
    interface Env extends Omit<z.input<typeof EnvSchema>, 'ENVIRONMENT'> {}
  }
}

/** A parsed deployment: its variables, or every problem that keeps it from serving. */
export type ParsedEnv = { ok: true; vars: EnvVars } | { ok: false; problems: string[] }

const parsed = new WeakMap<object, ParsedEnv>()

/**
 * Parses the deployment's variables and checks its bindings, once per isolate and env object.
 * @example const env = parseEnv(c.env); if (!env.ok) console.log(env.problems.join('; '))
 */
export function parseEnv(env: Env): ParsedEnv {
  let result = parsed.get(env)
  if (result) return result
  const vars = EnvSchema.safeParse(env)
  const problems = vars.success ? [] : describeIssues(vars.error.issues)
  if (!env.CONFIG) problems.push('CONFIG: bind a KV namespace (see README "Deploy")')
  if (!env.CONFIG_WRITER) problems.push('CONFIG_WRITER: bind the ConfigWriter Durable Object (see wrangler.toml)')
  if (!env.EVENT_LOG) problems.push('EVENT_LOG: bind the EventLog Durable Object (see wrangler.toml)')
  if (!!env.UPSTASH_REDIS_REST_URL !== !!env.UPSTASH_REDIS_REST_TOKEN) {
    problems.push('set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (`wrangler secret put`), or neither to use the Durable Object store')
  }
  if (!env.UPSTASH_REDIS_REST_URL && !env.COUNTERS) problems.push('COUNTERS: bind the CounterShard Durable Object (see wrangler.toml)')
  result = vars.success && problems.length === 0 ? { ok: true, vars: vars.data } : { ok: false, problems }
  parsed.set(env, result)
  return result
}

