import type { Hono } from 'hono'
import * as z from 'zod/mini'
import { AssignmentSchema } from '../core/assignment-schema'
import { ExperimentCreateSchema, ExperimentPatchSchema, ExperimentSchema } from '../core/experiment'
import type { AppEnv } from '../env'
import { AssignRequestSchema, AssignResponseSchema } from './assign-schema'
import { EventsRequestSchema, EventsResponseSchema } from './events-schema'
import { TransitionRequestSchema } from './experiments'
import { SampleSizeQuerySchema } from './results'
import { Seed000CreateSchema, Seed000LogSchema, Seed000RouteSchema } from '../compat/seed000/schemas'

type Operation = {
  summary: string
  tags: string[]
  admin?: boolean
  body?: string
  response?: { status: number; schema?: string; description: string }
  query?: { name: string; description: string; required?: boolean }[]
  params?: string[]
}

// Request and response schemas come straight from the zod schemas the handlers validate with.
const SCHEMAS: Record<string, z.core.$ZodType> = {
  AssignRequest: AssignRequestSchema,
  AssignResponse: AssignResponseSchema,
  Assignment: AssignmentSchema,
  Experiment: ExperimentSchema,
  ExperimentCreate: ExperimentCreateSchema,
  ExperimentPatch: ExperimentPatchSchema,
  TransitionRequest: TransitionRequestSchema,
  EventsRequest: EventsRequestSchema,
  EventsResponse: EventsResponseSchema,
  Seed000Create: Seed000CreateSchema,
  Seed000Route: Seed000RouteSchema,
  Seed000Log: Seed000LogSchema,
}

const SAMPLE_SIZE_HELP: Record<string, string> = {
  baseline: 'control conversion rate, in (0, 1)',
  mde: 'minimum detectable effect',
  mdeType: 'relative (default: mde is a fraction of baseline) or absolute',
  alpha: 'two-sided significance level (default 0.05)',
  power: 'default 0.8',
  variants: 'number of variants including control (default 2); alpha is split across the comparisons',
}

const ROUTES: Record<string, Record<string, Operation>> = {
  '/v1/assign': {
    get: {
      summary: 'Assign a unit to every active experiment (or the ones named)',
      tags: ['assignment'],
      query: [
        { name: 'unit', description: 'the user or device id', required: true },
        { name: 'experiments', description: 'comma-separated experiment keys (default: all running, paused or rolled out)' },
        { name: 'attr.<name>', description: 'a targeting attribute (string); use POST for typed attributes' },
        { name: 'force', description: 'QA override "experiment:variant" (only where the experiment allows it)' },
        { name: 'country', description: 'ISO country code (default: the request\'s cf.country)' },
        { name: 'userAgent', description: 'the end user\'s User-Agent (device class and bot filter)' },
        { name: 'path', description: 'page path for path targeting' },
        { name: 'host', description: 'host for host targeting' },
      ],
      response: { status: 200, schema: 'AssignResponse', description: 'assignments keyed by experiment' },
    },
    post: { summary: 'Assign a unit (JSON body, typed attributes)', tags: ['assignment'], body: 'AssignRequest', response: { status: 200, schema: 'AssignResponse', description: 'assignments keyed by experiment' } },
  },
  '/v1/experiments': {
    get: { summary: 'List experiments', tags: ['experiments'], admin: true, response: { status: 200, description: '{ experiments: Experiment[] }' } },
    post: { summary: 'Create an experiment (in draft)', tags: ['experiments'], admin: true, body: 'ExperimentCreate', response: { status: 201, schema: 'Experiment', description: 'the experiment; ETag is its version' } },
  },
  '/v1/experiments/{key}': {
    get: { summary: 'Get an experiment', tags: ['experiments'], admin: true, params: ['key'], response: { status: 200, schema: 'Experiment', description: 'the experiment; ETag is its version' } },
    patch: { summary: 'Edit an experiment (If-Match: its version)', tags: ['experiments'], admin: true, params: ['key'], body: 'ExperimentPatch', response: { status: 200, schema: 'Experiment', description: 'the edited experiment' } },
    delete: { summary: 'Delete a draft or stopped experiment', tags: ['experiments'], admin: true, params: ['key'], response: { status: 204, description: 'deleted' } },
  },
  '/v1/experiments/{key}/transition': {
    post: {
      summary: 'Change state: draft→running, running↔paused, →rollout (with variant), →stopped',
      tags: ['experiments'],
      admin: true,
      params: ['key'],
      body: 'TransitionRequest',
      response: { status: 200, schema: 'Experiment', description: 'the experiment in its new state' },
    },
  },
  '/v1/events': {
    post: { summary: 'Track one event or a batch (≤ 500); attributed server-side, idempotent on id (events without one are never deduplicated)', tags: ['events'], body: 'EventsRequest', response: { status: 202, schema: 'EventsResponse', description: 'accepted, duplicate and ignored (with reasons: invalid_value when |value| > 1e12, stale_timestamp when ts is over 7 days old or 5 min ahead, invalid_timestamp when ts is no date; a lone event with invalid_value or invalid_timestamp is a 400 instead)' } },
  },
  '/v1/experiments/{key}/counts': {
    get: { summary: 'Raw counters per epoch, variant, metric and UTC day', tags: ['results'], admin: true, params: ['key'], response: { status: 200, description: '{ experiment, store, epoch, counters }' } },
  },
  '/v1/experiments/{key}/results': {
    get: {
      summary: 'Statistics per metric and variant: lift with CI, p-value (Holm/BH-adjusted), sequential p-value and CI, chance to beat control, expected loss, power, required n, SRM, verdict, daily series',
      tags: ['results'],
      admin: true,
      params: ['key'],
      response: { status: 200, description: 'the analysis of the current epoch' },
    },
  },
  '/v1/sample-size': {
    get: {
      summary: 'Required units per variant for a two-proportion test',
      tags: ['results'],
      query: Object.keys(SampleSizeQuerySchema.shape).map((name) => ({ name, description: SAMPLE_SIZE_HELP[name] ?? '', required: name === 'baseline' || name === 'mde' })),
      response: { status: 200, description: '{ perVariant, total, expected, alphaPerComparison, … }' },
    },
  },
  '/experiments': { post: { summary: 'Seed 000: create an experiment (control/treatment model ids)', tags: ['seed 000'], body: 'Seed000Create', response: { status: 200, description: 'seed 000 Experiment.to_dict()' } } },
  '/experiments/{id}': { get: { summary: 'Seed 000: get an experiment', tags: ['seed 000'], params: ['id'], response: { status: 200, description: 'seed 000 Experiment.to_dict()' } } },
  '/experiments/{id}/start': { post: { summary: 'Seed 000: start', tags: ['seed 000'], params: ['id'], response: { status: 200, description: '{"status": "started"}' } } },
  '/experiments/{id}/stop': { post: { summary: 'Seed 000: stop', tags: ['seed 000'], params: ['id'], response: { status: 200, description: '{"status": "stopped"}' } } },
  '/experiments/{id}/results': { get: { summary: 'Seed 000: two-proportion results', tags: ['seed 000'], params: ['id'], response: { status: 200, description: 'seed 000 ExperimentResultsResponse' } } },
  '/route': { post: { summary: 'Seed 000: route a user', tags: ['seed 000'], body: 'Seed000Route', response: { status: 200, description: '{experiment_id, variant_name, model_id}' } } },
  '/log': { post: { summary: 'Seed 000: log an exposure under the named variant and a conversion', tags: ['seed 000'], body: 'Seed000Log', response: { status: 200, description: '{"status": "logged"}' } } },
  '/api/experiments': { get: { summary: 'Seed 001: experiments with groups, fallback, state (inactive/active/rollout), rollout_group, start, end', tags: ['seed 001'], response: { status: 200, description: 'seed 001 EXPERIMENTS shape' } } },
  '/api/expgroups': {
    get: {
      summary: "Seed 001: a device's group in every experiment (logs the exp_groups event)",
      tags: ['seed 001'],
      query: [{ name: 'device_id', description: 'the device id', required: false }],
      response: { status: 200, description: '{ key: { state, fallback, group } }' },
    },
  },
  '/api/experiments/update': { post: { summary: "Seed 001: change state and weights with the seed's rules", tags: ['seed 001'], admin: true, response: { status: 200, description: '{ success, experiment }' } } },
  '/events': {
    post: { summary: 'Seed 001: record a raw event {ts, device_id, source, event, exp_group, params} (browser events are counted too)', tags: ['seed 001'], response: { status: 200, description: '{"status": "ok"}' } },
    get: { summary: 'Seed 001: the most recent raw events (at most 1000)', tags: ['seed 001'], admin: true, response: { status: 200, description: 'raw events' } },
  },
  '/_edgesplit/track.js': { get: { summary: 'The tracking script the site middleware injects', tags: ['site'], response: { status: 200, description: 'JavaScript' } } },
  '/health': { get: { summary: 'Liveness and config visibility', tags: ['operations'], response: { status: 200, description: 'ok' } } },
  '/openapi.json': { get: { summary: 'This document', tags: ['operations'], response: { status: 200, description: 'OpenAPI 3.1' } } },
}

let document: object | undefined

/** The OpenAPI 3.1 document, built once per isolate from the zod schemas. */
export function openApiDocument(): object {
  document ??= {
    openapi: '3.1.0',
    info: { title: 'edgesplit', version: '1', description: 'A/B testing at the edge. Errors share one envelope: {"error": {"code", "message"}}.' },
    components: {
      securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (a Worker secret)' } },
      schemas: {
        ...Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => [name, z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })])),
        Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } },
      },
    },
    paths: Object.fromEntries(Object.entries(ROUTES).map(([path, ops]) => [path, Object.fromEntries(Object.entries(ops).map(([m, op]) => [m, operation(op)]))])),
  }
  return document
}

function operation(op: Operation): object {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
  const parameters = [
    ...(op.params ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(op.query ?? []).map((q) => ({ name: q.name, in: 'query', required: !!q.required, description: q.description, schema: { type: 'string' } })),
  ]
  const error = { description: 'error', content: { 'application/json': { schema: ref('Error') } } }
  return {
    summary: op.summary,
    tags: op.tags,
    ...(op.admin ? { security: [{ admin: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body) } } } } : {}),
    responses: {
      [String(op.response?.status ?? 200)]: {
        description: op.response?.description ?? 'ok',
        ...(op.response?.schema ? { content: { 'application/json': { schema: ref(op.response.schema) } } } : {}),
      },
      '4XX': error,
    },
  }
}

/** `GET /openapi.json` and `GET /docs`, a self-contained page that renders it (no CDN). */
export function registerOpenApi(app: Hono<AppEnv>): void {
  app.get('/openapi.json', (c) => c.json(openApiDocument()))
  app.get('/docs', (c) => c.html(DOCS_PAGE))
}

const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edgesplit API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
h1{margin-bottom:.2rem}.op{border:1px solid #d8dde6;border-radius:8px;margin:.8rem 0;padding:.6rem .9rem}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}.get{color:#0a7d3b}.post{color:#1456c4}.patch{color:#a35a00}.delete{color:#b3261e}
code{background:#f1f3f7;padding:0 .25rem;border-radius:4px}details pre{background:#f6f8fb;padding:.6rem;overflow:auto;font-size:12px}.lock{font-size:12px;color:#6b7385}
</style></head><body><h1>edgesplit API</h1><p>Machine-readable: <a href="./openapi.json">/openapi.json</a>. Errors: <code>{"error": {"code", "message"}}</code>. 🔒 = needs <code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>.</p>
<main id="ops">Loading…</main><script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{const main=document.getElementById('ops');main.textContent='';
const esc=s=>String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
for(const [path,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops)){const d=document.createElement('section');d.className='op';
const params=(op.parameters||[]).map(p=>'<li><code>'+esc(p.name)+'</code> ('+p.in+(p.required?', required':'')+') '+esc(p.description||'')+'</li>').join('');
const body=op.requestBody?op.requestBody.content['application/json'].schema.$ref.split('/').pop():null;
d.innerHTML='<div><span class="m '+m+'">'+m+'</span><code>'+esc(path)+'</code> '+(op.security?'<span class="lock">🔒 admin</span>':'')+'</div><div>'+esc(op.summary)+'</div>'+(params?'<ul>'+params+'</ul>':'')+
(body?'<details><summary>Body: '+body+'</summary><pre>'+esc(JSON.stringify(doc.components.schemas[body],null,2))+'</pre></details>':'');main.appendChild(d)}})
</script></body></html>`
