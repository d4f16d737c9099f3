import type { SiteSettings } from '../core/site-settings'
import type { ConfigCache } from '../config/config-cache'
import type { ConfigWriterApi } from '../config/config-writer-api'
import type { CounterStore } from '../store/counter-store'
import type { AssignmentFlow } from './assignment'
import type { RecentEvents } from './event-log'
import type { Experiments } from './experiments'
import type { FlagInput, FlagOutcome } from './flag-evaluation'
import type { Flags } from './flags'
import type { Ingestion } from './ingestion'
import type { Results } from './results'

/**
 * What every handler reads from `c.var.services` (built per request by src/services.ts, the only
 * reader of `c.env`): the flows, the config read path and writer, the counter store, the parsed
 * settings, and the hook for work after the response.
 */
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
  /** Flag management over the ConfigWriter (CRUD, kill switch, history). */
  flags: Flags
  /** Evaluates flags for one unit; experiment rules go through `assignment` (src/flows/flag-evaluation.ts). */
  evaluateFlags: (input: FlagInput) => Promise<FlagOutcome>
  /** Counters read by experiment instance, and their analysis. */
  results: Results
  /** The recent-events log of seed 001's `/events` (the EventLog Durable Object). */
  eventLog: RecentEvents
  /** The Worker's static assets (the ASSETS binding), where its fixed texts are (src/http/static-texts.ts). */
  assets: Fetcher
  /** Runs work after the response (exposure logging); failures are logged, never surfaced. Null is nothing to run. */
  background: (work: Promise<unknown> | null) => void
}

