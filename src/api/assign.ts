import type { Context } from 'hono'
import { type AssignContext, assign, type StickyReader, type StickyRecord } from '../core/assign'
import type { Assignment } from '../core/assignment-schema'
import type { CompiledExperiment } from '../core/compile'
import { DomainError } from '../core/errors'
import { parseOrThrow } from '../core/validate'
import type { ConfigSnapshot } from '../config/config-doc'
import type { AppEnv } from '../env'
import { readJson } from '../http/body'
import { requestFacts } from '../http/request-facts'
import { routes } from '../http/route'
import type { CounterStore } from '../store/counter-store'
import { logExposures } from '../store/exposure-log'
import { prefetchSticky } from '../store/sticky-prefetch'
import { type AssignRequest, AssignRequestSchema, type AssignResponse, AssignResponseSchema } from './assign-schema'

/** Answers one validated assign request and logs its exposures after the response. */
async function handle(c: Context<AppEnv>, body: AssignRequest): Promise<Response> {
  const { config, store, background } = c.var.services
  const snapshot = await config.snapshot()
  const response = await assignRequest(snapshot, body, c.req.raw, store)
  if (body.track !== false) {
    // Off the response path (SPEC): the caller never waits for bookkeeping.
    const logged = logExposures(store, snapshot, body.unit, Object.values(response.assignments), Date.now())
    if (logged) background(logged)
  }
  return c.json(response)
}

const assigned = { status: 200, description: 'assignments keyed by experiment', schema: { name: 'AssignResponse', schema: AssignResponseSchema } }

/** `GET /v1/assign?unit=…` and `POST /v1/assign`: variants for one unit in one or more experiments. */
export const assignRoutes = routes(
  {
    method: 'GET',
    path: '/v1/assign',
    auth: 'public',
    tag: 'assignment',
    summary: 'Assign a unit to every active experiment (or the ones named)',
    request: {
      query: [
        { name: 'unit', description: 'the user or device id', required: true },
        { name: 'experiments', description: 'comma-separated experiment keys (default: all running, paused or rolled out)' },
        { name: 'attr.<name>', description: 'a targeting attribute (string); use POST for typed attributes' },
        { name: 'force', description: 'QA override "experiment:variant" (only where the experiment allows it)' },
        { name: 'country', description: "ISO country code (default: the request's cf.country)" },
        { name: 'userAgent', description: "the end user's User-Agent (device class and bot filter)" },
        { name: 'path', description: 'page path for path targeting' },
        { name: 'host', description: 'host for host targeting' },
        { name: 'track', description: 'false: assign without logging exposures' },
      ],
    },
    response: assigned,
    handler: (c) => handle(c, parseOrThrow(AssignRequestSchema, queryToRequest(new URL(c.req.url).searchParams))),
  },
  {
    method: 'POST',
    path: '/v1/assign',
    auth: 'public',
    tag: 'assignment',
    summary: 'Assign a unit (JSON body, typed attributes)',
    request: { body: { name: 'AssignRequest', schema: AssignRequestSchema } },
    response: assigned,
    handler: async (c) => handle(c, await readJson(c, AssignRequestSchema)),
  },
)

/**
 * Query form: `unit`, `experiments=a,b` (or repeated `experiment`), `attr.<name>=value` (strings),
 * `force=key:variant`, `country`, `userAgent`, `path`, `host`, `track=false`.
 */
function queryToRequest(q: URLSearchParams): unknown {
  const out: Record<string, unknown> = {}
  const attributes: Record<string, string> = {}
  const force: Record<string, string> = {}
  const experiments: string[] = []
  for (const [name, value] of q) {
    if (name.startsWith('attr.')) attributes[name.slice(5)] = value
    else if (name === 'experiments' || name === 'experiment') experiments.push(...value.split(',').map((s) => s.trim()).filter(Boolean))
    else if (name === 'force') {
      const i = value.indexOf(':')
      if (i <= 0) throw new DomainError('invalid', 'invalid_request', `force: expected "experiment:variant", got "${value}"`)
      force[value.slice(0, i)] = value.slice(i + 1)
    } else if (name === 'track') {
      if (value !== 'true' && value !== 'false') throw new DomainError('invalid', 'invalid_request', `track: expected true or false, got "${value}"`)
      out.track = value === 'true'
    } else out[name] = value
  }
  if (experiments.length) out.experiments = experiments
  if (Object.keys(attributes).length) out.attributes = attributes
  if (Object.keys(force).length) out.force = force
  return out
}

/** Assigns a validated request against a config snapshot. */
export async function assignRequest(snapshot: ConfigSnapshot, body: AssignRequest, request: Request, store?: CounterStore): Promise<AssignResponse> {
  let targets: readonly CompiledExperiment[] = snapshot.active
  const assignments: Record<string, Assignment> = {}
  if (body.experiments) {
    const unknown = body.experiments.filter((k) => !snapshot.experiments.has(k) && !snapshot.broken.has(k))
    if (unknown.length) {
      throw new DomainError('not_found', 'unknown_experiment', `unknown experiment${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`)
    }
    targets = body.experiments.flatMap((k) => snapshot.experiments.get(k) ?? [])
    for (const k of body.experiments) {
      const broken = snapshot.broken.get(k)
      // A corrupt config entry is never a 5xx: the unit gets the fallback and is not counted.
      if (broken?.fallback) assignments[k] = { experiment: k, variant: broken.fallback, reason: 'fallback', enrolled: false, epoch: 0, allocationVersion: 0 }
    }
  }
  const facts = requestFacts(request, body.userAgent ?? stringAttribute(body.attributes?.userAgent))
  const country = body.country ?? stringAttribute(body.attributes?.country)
  // Getters keep the request facts lazy: most requests never need the country or device class.
  const ctx: AssignContext = {
    unit: body.unit,
    get bot() {
      return facts.bot
    },
    get device() {
      return facts.device
    },
    get country() {
      return country !== undefined ? country.toUpperCase() : facts.country
    },
    path: body.path ?? stringAttribute(body.attributes?.path),
    host: body.host ?? stringAttribute(body.attributes?.host),
    attributes: body.attributes ?? {},
    forced: body.force,
  }
  const { assignments: results } = await assignUnit(targets, ctx, store)
  for (const a of results) assignments[a.experiment] = a
  return { unit: body.unit, assignments }
}

/**
 * Assigns one unit to each target: the one assignment flow the API and the site middleware share.
 * Sticky records come from `known` first (the middleware's signed cookie), then from the store in
 * one round trip, and only where they can matter; `sticky` returns the records that were used.
 * @example const { assignments } = await assignUnit(snapshot.active, ctx, store)
 */
export async function assignUnit(
  targets: readonly CompiledExperiment[],
  ctx: AssignContext,
  store?: CounterStore,
  known?: Readonly<Record<string, StickyRecord>>,
): Promise<{ assignments: Assignment[]; sticky: Record<string, StickyRecord> }> {
  const used: Record<string, StickyRecord> = {}
  const fromStore = store ? await prefetchSticky(store, known ? targets.filter((t) => !known[t.experiment.key]) : targets, ctx.unit) : undefined
  const reader: StickyReader | undefined =
    fromStore || known
      ? async (experiment, unit) => {
          const record = known?.[experiment] ?? (fromStore ? await fromStore(experiment, unit) : null)
          if (record) used[experiment] = record
          return record
        }
      : undefined
  const assignments = await Promise.all(targets.map((t) => assign(t, ctx, reader)))
  return { assignments, sticky: used }
}

function stringAttribute(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}
