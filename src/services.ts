import type { Context, MiddlewareHandler } from 'hono'
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
import type { CounterStore } from './store/counter-store'
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

/**
 * One request's services. The parsed deployment and the counter store are the isolate's; the
 * config handle, the writer stub and the flows are made on first use, because a request uses few
 * of them. A class, so its getters live on the prototype instead of being new closures per request.
 */
class RequestServices implements Services {
  readonly store: CounterStore
  readonly environment: string
  readonly adminToken: string | undefined
  readonly site: SiteSettings
  private configCache: ConfigCache | undefined
  private writerStub: (ConfigWriterApi & FlagWriterApi) | undefined
  private assignmentFlow: AssignmentFlow | undefined
  private ingestionFlow: Ingestion | undefined
  /** Read after the handler: a config write reports its publication in headers. */
  experimentsFlow: Experiments | undefined
  /** Read after the handler, as experimentsFlow. */
  flagsFlow: Flags | undefined
  private resultsFlow: Results | undefined
  private eventLogFlow: RecentEvents | undefined

  constructor(
    private readonly env: Env,
    private readonly vars: EnvVars,
    site: SiteSettings,
    private readonly c: Context<AppEnv>,
  ) {
    this.store = selectCounterStore(env)
    this.environment = vars.ENVIRONMENT
    this.adminToken = vars.ADMIN_TOKEN || undefined
    this.site = site
  }

  get config(): ConfigCache {
    return (this.configCache ??= new ConfigCache(this.env.CONFIG, {
      onMissing: this.vars.ENVIRONMENT === 'development' ? () => this.writer.read() : undefined,
      // Bandits reweight lazily: a fresh config read that finds one due asks the ConfigWriter, after the response.
      onLoad: (snapshot) => {
        const due = dueBandits(snapshot, Date.now())
        if (due.length) this.background(rebalanceDue(this.writer, this.config, due))
      },
    }))
  }

  get writer(): ConfigWriterApi & FlagWriterApi {
    return (this.writerStub ??= this.env.CONFIG_WRITER.get(this.env.CONFIG_WRITER.idFromName('global')) as unknown as ConfigWriterApi & FlagWriterApi)
  }

  get assignment(): AssignmentFlow {
    return (this.assignmentFlow ??= assignmentFlow({ config: this.config, store: this.store }))
  }

  get ingestion(): Ingestion {
    return (this.ingestionFlow ??= new Ingestion({ config: this.config, store: this.store, maxAgeMs: eventMaxAgeMs(this.vars) }))
  }

  get experiments(): Experiments {
    return (this.experimentsFlow ??= new Experiments(() => this.writer, this.config))
  }

  get flags(): Flags {
    return (this.flagsFlow ??= new Flags(() => this.writer, this.config))
  }

  // A field, like background: the site middleware passes it on without its object.
  readonly evaluateFlags: Services['evaluateFlags'] = (input) => evaluateFlags({ config: this.config, assignment: this.assignment }, input)

  get results(): Results {
    return (this.resultsFlow ??= new Results({ config: this.config, store: this.store, experiments: this.experiments }))
  }

  get assets(): Fetcher {
    return this.env.ASSETS
  }

  get eventLog(): RecentEvents {
    return (this.eventLogFlow ??= new RecentEvents(this.env.EVENT_LOG))
  }

  // A field, not a method: handlers destructure it (`const { background } = c.var.services`).
  readonly background = (work: Promise<unknown> | null): void => {
    if (work) this.c.executionCtx.waitUntil(work.catch((error: unknown) => console.warn(`background work failed: ${(error as Error)?.message ?? error}`)))
  }
}

/** Builds `c.var.services` from the bindings; the writer stub is made only when used. */
export function services(): MiddlewareHandler<AppEnv> {
  return async function servicesMiddleware(c, next) {
    const d = deployment(c.env)
    if (typeof d === 'string') return errorResponse(c, 503, 'misconfigured', d)
    const s = new RequestServices(c.env, d.vars, d.site, c)
    c.set('services', s)
    await next()
    // A config write says which revision it stored and which one KV holds (they differ for about a
    // second after back-to-back writes, or while KV refuses writes and the ConfigWriter retries).
    const publication = s.experimentsFlow?.publication ?? s.flagsFlow?.publication
    if (publication) {
      c.header(CONFIG_REVISION_HEADER, String(publication.latest))
      c.header(CONFIG_PUBLISHED_HEADER, String(publication.published))
    }
  }
}
