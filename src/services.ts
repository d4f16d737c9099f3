import type { MiddlewareHandler } from 'hono'
import { dueBandits, rebalanceDue } from './flows/bandit-trigger'
import { ConfigCache } from './config/config-cache'
import type { ConfigWriterApi, FlagWriterApi } from './config/config-writer-api'
import { type EnvVars, parseEnv } from './env'
import { type AssignmentFlow, assignmentFlow } from './flows/assignment'
import { RecentEvents } from './flows/event-log'
import { eventMaxAgeMs } from './flows/event-window'
import { Experiments } from './flows/experiments'
import { evaluateFlags } from './flows/flag-evaluation'
import { Flags } from './flows/flags'
import { Ingestion } from './flows/ingestion'
import { Results } from './flows/results'
import type { AppEnv } from './http/app-env'
import { errorResponse } from './http/errors'
import type { SiteSettings } from './core/site-settings'
import { compileGlob, type GlobMatcher } from './core/pattern'
import type { Services } from './flows/services'
import { selectCounterStore } from './store/select-store'

// Public on purpose: it only guards `npm run dev` (ENVIRONMENT=development), where forging a cookie
// is harmless. Any other deployment (production, staging, preview, test) must bring its own secret.
const DEV_SECRET = 'edgesplit-development-cookie-secret'

let warnedNoSecret = false

/** Response header of a config write: the revision of the stored config document. */
export const CONFIG_REVISION_HEADER = 'x-edgesplit-config-revision'
/** Response header of a config write: the revision KV holds (behind the stored one until the ConfigWriter publishes). */
export const CONFIG_PUBLISHED_HEADER = 'x-edgesplit-config-published'

/**
 * The site middleware's settings from the parsed variables. Without `COOKIE_SECRET` the assignment
 * cookie is skipped (warned once), never a failed request — except under ENVIRONMENT=development,
 * which signs with the public development secret.
 * @example siteSettings({ ENVIRONMENT: 'development' }).origin // { kind: 'demo' }
 */
export function siteSettings(vars: EnvVars): SiteSettings {
  const development = vars.ENVIRONMENT === 'development'
  const secret = vars.COOKIE_SECRET || (development ? DEV_SECRET : null)
  if (secret === null && !warnedNoSecret) {
    warnedNoSecret = true
    console.warn('site: COOKIE_SECRET is not set, so the signed assignment cookie is off (`npx wrangler secret put COOKIE_SECRET`)')
  }
  return {
    origin: originTarget(vars.ORIGIN_URL),
    include: patterns(vars.SITE_INCLUDE),
    exclude: patterns(vars.SITE_EXCLUDE),
    uidCookie: vars.UID_COOKIE_NAME || 'edgesplit_uid',
    assignmentCookie: vars.ASSIGNMENT_COOKIE_NAME || 'edgesplit_asg',
    qaCookie: 'edgesplit_qa',
    cookieDomain: vars.COOKIE_DOMAIN || undefined,
    cookieSecret: secret,
    adminHost: vars.ADMIN_HOST || undefined,
  }
}

function originTarget(value: string | undefined): SiteSettings['origin'] {
  if (!value) return { kind: 'demo' }
  if (value === 'passthrough') return { kind: 'passthrough' }
  return { kind: 'url', base: new URL(value) }
}

/** Comma-separated glob patterns (`/static/*, /blog/*`). */
function patterns(value: string | undefined): GlobMatcher[] {
  return (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(compileGlob)
}

/** What services derive from a deployment's variables, once per isolate and env object. */
type Deployment = { vars: EnvVars; site: SiteSettings }

const deployments = new WeakMap<object, Deployment>()

/** The parsed deployment of `env`, or the message that says what to fix. */
function deployment(env: Env): Deployment | string {
  let d = deployments.get(env)
  if (d) return d
  const parsed = parseEnv(env)
  if (!parsed.ok) return `this deployment is misconfigured: ${parsed.problems.join('; ')}`
  deployments.set(env, (d = { vars: parsed.vars, site: siteSettings(parsed.vars) }))
  return d
}

/** Builds `c.var.services` from the bindings; the writer stub is made only when used. */
export function services(): MiddlewareHandler<AppEnv> {
  return async function servicesMiddleware(c, next) {
    const env = c.env
    const d = deployment(env)
    if (typeof d === 'string') return errorResponse(c, 503, 'misconfigured', d)
    const { vars } = d
    const store = selectCounterStore(env)
    let writer: (ConfigWriterApi & FlagWriterApi) | undefined
    let assignment: AssignmentFlow | undefined
    const flows: Partial<Pick<Services, 'ingestion' | 'experiments' | 'results' | 'eventLog' | 'flags'>> = {}
    const getWriter = () => (writer ??= env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName('global')) as unknown as ConfigWriterApi & FlagWriterApi)
    const development = vars.ENVIRONMENT === 'development'
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
      store,
      environment: vars.ENVIRONMENT,
      adminToken: vars.ADMIN_TOKEN || undefined,
      site: d.site,
      get assignment() {
        return (assignment ??= assignmentFlow({ config: s.config, store }))
      },
      get ingestion() {
        return (flows.ingestion ??= new Ingestion({ config: s.config, store, maxAgeMs: eventMaxAgeMs(vars) }))
      },
      get experiments() {
        return (flows.experiments ??= new Experiments(getWriter, s.config))
      },
      get flags() {
        return (flows.flags ??= new Flags(getWriter, s.config))
      },
      evaluateFlags: (input) => evaluateFlags({ config: s.config, assignment: s.assignment }, input),
      get results() {
        return (flows.results ??= new Results({ config: s.config, store, experiments: s.experiments }))
      },
      get eventLog() {
        return (flows.eventLog ??= new RecentEvents(env.EVENT_LOG))
      },
      background: (work) => {
        if (work) c.executionCtx.waitUntil(work.catch((error: unknown) => console.warn(`background work failed: ${(error as Error)?.message ?? error}`)))
      },
    }
    c.set('services', s)
    await next()
    // A config write says which revision it stored and which one KV holds (they differ for about a
    // second after back-to-back writes, or while KV refuses writes and the ConfigWriter retries).
    const publication = flows.experiments?.publication ?? flows.flags?.publication
    if (publication) {
      c.header(CONFIG_REVISION_HEADER, String(publication.latest))
      c.header(CONFIG_PUBLISHED_HEADER, String(publication.published))
    }
  }
}
