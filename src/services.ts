import type { MiddlewareHandler } from 'hono'
import { dueBandits, rebalanceDue } from './config/bandit-trigger'
import { ConfigCache } from './config/config-cache'
import type { ConfigWriterApi } from './config/config-writer-api'
import { type AppEnv, type EnvVars, parseEnv } from './env'
import { type AssignmentFlow, assignmentFlow } from './flows/assignment'
import { RecentEvents } from './flows/event-log'
import { eventMaxAgeMs } from './flows/event-window'
import { Experiments } from './flows/experiments'
import { Ingestion } from './flows/ingestion'
import { Results } from './flows/results'
import { errorResponse } from './http/errors'
import { type SiteSettings, siteSettings } from './site/settings'
import type { CounterStore } from './store/counter-store'
import { selectCounterStore } from './store/select-store'

/** What every handler reads from `c.var.services`; only this file reads `c.env`. */
export type Services = {
  config: ConfigCache
  writer: ConfigWriterApi
  /** The counter store, guarded: every call resolves within 1 s or throws StoreUnavailableError. */
  store: CounterStore
  environment: string
  adminToken: string | undefined
  /** The site middleware's settings, built from the parsed variables once per isolate. */
  site: SiteSettings
  /** The one assignment flow (native API, site middleware, seed adapters). */
  assignment: AssignmentFlow
  /** Event ingestion: plan, record (a store that does not confirm is a retryable 503), summary. */
  ingestion: Ingestion
  /** Experiment management over the ConfigWriter: domain errors, the cache refreshed, find-or-404. */
  experiments: Experiments
  /** Counters read by experiment instance, and their analysis. */
  results: Results
  /** The recent-events log of seed 001's `/events` (the EventLog Durable Object). */
  eventLog: RecentEvents
  /** Runs work after the response (exposure logging); failures are logged, never surfaced. Null is nothing to run. */
  background: (work: Promise<unknown> | null) => void
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
    let writer: ConfigWriterApi | undefined
    let assignment: AssignmentFlow | undefined
    const flows: Partial<Pick<Services, 'ingestion' | 'experiments' | 'results' | 'eventLog'>> = {}
    const getWriter = () => (writer ??= env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName('global')) as unknown as ConfigWriterApi)
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
  }
}
