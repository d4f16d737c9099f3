// Shared by the hostile-input suite (hostile.test.ts): the app's own route table, generators of
// malformed requests (fast-check), and the checks every answer must pass.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import fc from 'fast-check'
import type { Hono } from 'hono'
import { inspectRoutes } from 'hono/dev'
import { createApp } from '../../src/app'
import type { AppEnv } from '../../src/http/app-env'
import { ROUTE_DOCS } from '../../src/route-docs'
import { ROUTES } from '../../src/routes'
import { ADMIN, env } from './helpers'

/** Runs per property: `FUZZ_RUNS=N npm test` (bound in vitest.config.ts), else a small default. */
export const RUNS = Number((env as unknown as { FUZZ_RUNS?: string }).FUZZ_RUNS) || 12

/** fast-check parameters shared by every property: one fixed seed, so a failure replays. */
export const FC = { seed: 42, numRuns: RUNS, endOnFailure: true } as const

/** Whose error shape a route answers in. */
export type Dialect = 'native' | 'seed000' | 'seed001'

/** One concrete handler the app registers. */
export type Route = { method: string; path: string; dialect: Dialect }

/** `METHOD path` pairs of the concrete handlers (not middleware) an app registers. */
function handlers(app: Hono<AppEnv>): Set<string> {
  return new Set(
    inspectRoutes(app)
      .filter((r) => !r.isMiddleware && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`),
  )
}

/**
 * Every concrete route the app registers, read from the app itself (so a new route is fuzzed
 * without touching this file), tagged with the seed adapter that owns it (its route table tag), if any.
 */
export function appRoutes(): Route[] {
  const tagged = (tag: string) => new Set(ROUTES.map((r) => `${r.method} ${r.path}`).filter((pair) => ROUTE_DOCS[pair]?.tag === tag))
  const s0 = tagged('seed 000')
  const s1 = tagged('seed 001')
  return [...handlers(createApp())].map((pair) => {
    const [method, path] = pair.split(' ') as [string, string]
    return { method, path, dialect: s0.has(pair) ? 'seed000' : s1.has(pair) ? 'seed001' : 'native' }
  })
}

/** The error envelope of the native API, `{"error":{"code","message"}}` (optional `details`). */
export function isEnvelope(body: unknown): boolean {
  if (!isObject(body) || Object.keys(body).length !== 1 || !isObject(body.error)) return false
  const e = body.error
  const extra = Object.keys(e).filter((k) => k !== 'code' && k !== 'message' && k !== 'details')
  return typeof e.code === 'string' && e.code !== '' && typeof e.message === 'string' && e.message !== '' && extra.length === 0
}

/**
 * FastAPI's error body: `{"detail": "<message>"}` or `{"detail": [{loc, msg, type}, …]}`. The
 * adapter may add fields beside `detail` (seed 000's clients ignore them), but an `error` beside it
 * must itself be the shared envelope's.
 */
export function isSeed000Error(body: unknown): boolean {
  if (!isObject(body)) return false
  const d = body.detail
  const detailOk = (typeof d === 'string' && d !== '') || (Array.isArray(d) && d.length > 0 && d.every((x) => isObject(x) && typeof x.msg === 'string' && Array.isArray(x.loc)))
  return detailOk && (body.error === undefined || isEnvelope({ error: body.error }))
}

/** Seed 001's error body: `{"error": "<message>"}`. */
export function isSeed001Error(body: unknown): boolean {
  return isObject(body) && Object.keys(body).length === 1 && typeof body.error === 'string' && body.error !== ''
}

/** Whether a non-2xx JSON body is in a shape the route may answer with. */
export function errorShapeOk(dialect: Dialect, body: unknown): boolean {
  // Auth, body-size and routing refusals come from shared middleware in the envelope on every route.
  if (isEnvelope(body)) return true
  if (dialect === 'seed000') return isSeed000Error(body)
  if (dialect === 'seed001') return isSeed001Error(body)
  return false
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/** A request to build: everything the generators choose. */
export type HostileRequest = { method: string; path: string; query: string; headers: Record<string, string>; body: BodyInit | null; label: string }

/** A request's reproduction, for failure messages: method, URL, headers and the start of the body. */
export function describeRequest(r: HostileRequest): string {
  const body = r.body === null ? '' : typeof r.body === 'string' ? r.body : `<${(r.body as Uint8Array).byteLength} bytes: ${[...(r.body as Uint8Array).slice(0, 48)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}>`
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body
  return `${r.method} ${r.path}${r.query} ${JSON.stringify(r.headers)} [${r.label}] ${shown}`
}

/** Sends a request through `app` with `bindings` (its host is `base`) and waits for background work. */
export async function send(app: { fetch: Hono<AppEnv>['fetch'] }, r: HostileRequest, bindings: Env = env, base = 'http://edgesplit.test'): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await app.fetch(new Request(`${base}${r.path}${r.query}`, { method: r.method, headers: r.headers, body: r.body }), bindings, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** Adds the test admin token to a request. */
export function asAdmin(r: HostileRequest): HostileRequest {
  return { ...r, headers: { ...r.headers, ...ADMIN } }
}

// ---- generators -------------------------------------------------------------------------------

/**
 * Methods no route expects, including ones outside the standard set. workerd refuses to build a
 * Request with a method it does not know (FOO, M-SEARCH), so such requests never reach a Worker;
 * only the ones it accepts are kept.
 */
export const ODD_METHODS: string[] = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET', 'POST', 'PROPFIND', 'PURGE', 'MKCOL', 'FOO', 'get', 'patch', 'M-SEARCH'].filter(constructible)

function constructible(method: string): boolean {
  try {
    new Request('http://x.test/', { method })
    return true
  } catch {
    return false
  }
}

/** JSON number literals at the edges of what doubles (and JSON.parse) do. */
const ODD_NUMBERS = ['0', '-0', '1e300', '-1e300', '1e309', '-1e309', '5e-324', '-5e-324', '9007199254740993', '1.7976931348623157e308', '-1', '0.5', '1E2', '123456789012345678901234567890']

/** JSON string literals with odd content: control characters, lone surrogates, prototype names. */
const ODD_STRINGS = ['""', '" "', '"\\u0000"', '"\\ud800"', '"\\udfff\\ud800"', '"__proto__"', '"constructor"', '"toString"', '"%00"', '"../../etc"', '"a:b"', '"\\n\\r\\t"', '"😀"', '"<script>alert(1)</script>"', '"1e300"', '"NaN"', '"Infinity"', '"-0"', '"2026-11-21T12:00:00Z"', '"9999-12-31T23:59:59Z"', '"0000-01-01T00:00:00Z"']

/** Object keys that collide with Object.prototype or parsers' special cases. */
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '\\u0000', 'then', '$ref', 'length']

/** Deeply nested JSON (depth 10k), built as text so neither the test nor JSON.stringify recurses. */
export const DEEP_JSON = ['['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), '{"__proto__":'.repeat(10_000) + 'null' + '}'.repeat(10_000)]

const jsonString = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s))

/** A JSON text fragment of any type, with odd numbers, strings and keys, nested a few levels. */
export const jsonFragment: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'json' },
    fc.constantFrom('null', 'true', 'false'),
    fc.constantFrom(...ODD_NUMBERS),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.integer().map(String),
    fc.constantFrom(...ODD_STRINGS),
    jsonString,
    fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...ODD_KEYS).map((k) => `"${k}"`), jsonString), tie('value')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
  ),
})).value

/** A value for one field of a well-formed body: a valid one, a hostile one, or a huge string. */
function field(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 3, arbitrary: jsonFragment }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => JSON.stringify('x'.repeat(n))) })
}

/** Fields of the body each route reads, with valid values: mutated so requests get past parsing. */
export function templates(experiment: string, variant: string): Record<string, Record<string, string[]>> {
  const key = JSON.stringify(experiment)
  // Names that collide with Object.prototype, where a plain-object lookup finds a function.
  const proto = ['"constructor"', '"__proto__"', '"toString"']
  const event = { id: ['"e1"'], unit: ['"u-1"', '"hostile-unit"'], name: ['"click"'], value: ['1', '0', '2.5'], ts: [String(Date.now()), '"2026-11-21T12:00:00Z"'], experiments: [`[${key}]`, `[${proto.join(',')}]`] }
  return {
    'POST /v1/events': event,
    'POST /v1/assign': { unit: ['"u-1"'], experiments: [`[${key}]`], attributes: ['{"plan":"pro"}'], force: [`{${key}:${JSON.stringify(variant)}}`], country: ['"US"'], userAgent: ['"Mozilla/5.0"'], path: ['"/"'], host: ['"a.test"'], track: ['true', 'false'] },
    'POST /v1/experiments': { key: ['"hostile_new"'], title: ['"T"'], variants: ['[{"key":"a","weight":1},{"key":"b","weight":1}]'], metrics: ['[{"key":"c","type":"binomial","event":"click"}]'], coverage: ['0.5'], targeting: ['{"paths":["/a/*"]}'], layer: ['{"id":"l","start":0,"end":0.5}'] },
    'PATCH /v1/experiments/:key': { title: ['"T2"'], coverage: ['0.5', '1'], variants: ['[{"key":"a","weight":2},{"key":"b","weight":1}]'], targeting: ['{"paths":["/a/*"]}'] },
    'POST /v1/experiments/:key/transition': { to: ['"paused"', '"rollout"', '"nowhere"'], variant: [JSON.stringify(variant)] },
    'POST /experiments': { name: ['"n"'], description: ['"d"'], control_model_id: ['"m1"'], treatment_model_id: ['"m2"'], traffic_percentage: ['50', '100'], control_weight: ['0.5'] },
    'POST /route': { user_id: ['"u-1"'], experiment_id: [key, 'null', ...proto] },
    'POST /log': { experiment_id: [key, ...proto], user_id: ['"u-1"'], variant_name: [JSON.stringify(variant), '"nope"'], converted: ['true', 'false'], value: ['1', 'null'] },
    'POST /api/experiments/update': { name: [key, ...proto], state: ['"inactive"', '"rollout"', '"bogus"'], groups: ['{"a":1,"b":1}'], rollout_group: ['"a"', 'null'] },
    'POST /events': { ts: [String(Date.now()), '"2026-11-21T12:00:00Z"'], deviceId: ['"d-1"'], device_id: ['"d-1"'], source: ['"browser"'], event: ['"click"'], exp_group: ['"a"'], params: ['{}'] },
  }
}

/** An object body from a template: each field kept, mutated or dropped, plus odd extra keys. */
function templated(fields: Record<string, string[]>): fc.Arbitrary<string> {
  const entries = Object.entries(fields).map(([name, valid]) => fc.option(field(valid), { nil: undefined, freq: 4 }).map((v) => (v === undefined ? null : `${JSON.stringify(name)}:${v}`)))
  const extra = fc.array(fc.tuple(fc.constantFrom(...ODD_KEYS), jsonFragment), { maxLength: 2 }).map((xs) => xs.map(([k, v]) => `${JSON.stringify(k)}:${v}`))
  return fc.tuple(fc.tuple(...entries), extra).map(([fs, xs]) => `{${[...fs.filter((f) => f !== null), ...xs].join(',')}}`)
}

/** Bytes that are not UTF-8, alone and inside JSON. */
const BAD_UTF8: Uint8Array[] = [
  new Uint8Array([0xff, 0xfe, 0xfd]),
  new Uint8Array([0xc3, 0x28]),
  new Uint8Array([0xed, 0xa0, 0x80]),
  new Uint8Array([...new TextEncoder().encode('{"unit":"'), 0xff, 0xc0, 0x80, ...new TextEncoder().encode('","name":"click"}')]),
  new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"unit":"u"}')]),
  new Uint8Array([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]),
]

/** A request body: JSON of any type, a mutated well-formed body, huge or deep JSON, junk, bad UTF-8. */
export function bodyArb(template: Record<string, string[]> | undefined): fc.Arbitrary<{ body: BodyInit | null; label: string }> {
  const text = (label: string) => (body: string) => ({ body, label }) as { body: BodyInit | null; label: string }
  const options: fc.WeightedArbitrary<{ body: BodyInit | null; label: string }>[] = [
    { weight: 1, arbitrary: fc.constant({ body: null, label: 'no body' }) },
    { weight: 3, arbitrary: jsonFragment.map(text('json')) },
    { weight: 1, arbitrary: fc.constantFrom(...DEEP_JSON).map(text('deep json')) },
    { weight: 1, arbitrary: fc.constantFrom(1_000_001, 2_500_000, 200_000).map((n) => text('huge string')(JSON.stringify('x'.repeat(n)))) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_UTF8).map((b) => ({ body: b.slice(), label: 'bad utf-8' })) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('{', '[1,', '{"a":1}{"b":2}', 'undefined', 'NaN', '--\r\n', 'a=1&b=2', '\u0000')).map(text('junk')) },
  ]
  if (template) {
    options.push({ weight: 5, arbitrary: templated(template).map(text('mutated')) })
    options.push({ weight: 2, arbitrary: fc.array(templated(template), { minLength: 1, maxLength: 3 }).map((xs) => text('mutated batch')(`[${xs.join(',')}]`)) })
  }
  return fc.oneof(...options)
}

/** Content types a client might send, right and wrong (absent is `undefined`). */
export const contentTypeArb = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  undefined,
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=utf-16',
  'application/problem+json',
  'application/jsonx',
  'text/html',
  'application/octet-stream',
  '',
  'x/y; ;charset==',
)

/** Query parameter names the routes read, and some they do not. */
const QUERY_NAMES = ['unit', 'experiments', 'attr.plan', 'attr.__proto__', 'force', 'track', 'country', 'userAgent', 'path', 'host', 'baseline', 'mde', 'mdeType', 'alpha', 'power', 'variants', 'device_id', 'key', '__proto__', 'constructor', 'edgesplit', '']

/** Query values: empty, percent junk, NUL, unicode, numbers at the edges, long strings. */
const queryValueArb = fc.oneof(
  fc.constantFrom('', '%', '%00', '%zz', '%E0%A4%A', '%ff%fe', 'a%2Fb', '..', '1e300', '-1e300', '-0', 'NaN', 'Infinity', '0x10', '1,2,,3', ':', 'a:b', 'a:b:c', 'moon_mars:Mars', 'true', 'false', '😀', 'ü', '%F0%9F%98%80', '+', '&&', '=', '#'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => 'q'.repeat(n)),
)

/** A query string (with its `?`), often with repeated names and raw percent signs. */
export const queryArb = fc.oneof(
  fc.constant(''),
  fc.constant('?'),
  fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValueArb, fc.boolean()), { minLength: 1, maxLength: 8 }).map((ps) => `?${ps.map(([k, v, bare]) => (bare && v === '' ? k : `${k}=${v}`)).join('&')}`),
  fc.integer({ min: 1, max: 300 }).map((n) => `?${'unit=u&'.repeat(n)}`),
)

/** A value for a `:param` in a route path: the fuzz experiment's key, or something hostile. */
export function paramArb(experiment: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(experiment) },
    { weight: 1, arbitrary: fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf') },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', '%2F', 'a%2Fb', '%2e%2e', '..', '%00', '%', '%zz', 'moon_mars', ' ', '%20', '😀', 'x'.repeat(5000), 'a;b', "'or'1'='1") },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
  )
}

/** A route path with every `:param` (and `:param{re}`) replaced by a generated value. */
export function concretePathArb(path: string, experiment: string): fc.Arbitrary<string> {
  const names = path.match(/:[A-Za-z_]\w*(\{[^}]*\})?/g) ?? []
  if (names.length === 0) return fc.constant(path)
  return fc.tuple(...names.map(() => paramArb(experiment))).map((values) => {
    let i = 0
    return path.replace(/:[A-Za-z_]\w*(\{[^}]*\})?/g, () => values[i++]!)
  })
}

/** Path segments that confuse routers, normalisers and URL joiners. */
const ODD_SEGMENTS = ['', '.', '..', '%2e%2e', '%2E.', '%2F', '%2f%2f', '\\', '%5C', '%00', '%', '%zz', 'evil.test', '@evil.test', 'evil.test:443', 'http:', 'https:%2F%2Fevil.test', 'v1', 'api', 'admin', 'experiments', '_edgesplit', 'index.html', 'ü', '😀', ';x=1', '~', 'a b', 'x'.repeat(3000)]

/** An arbitrary path (always starting with `/`): `//`, `%2F`, `..`, `\`, NUL and friends. */
export const oddPathArb = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...ODD_SEGMENTS), fc.string({ maxLength: 10 }).map(encodeURIComponent)), { minLength: 1, maxLength: 6 }).map((segs) => `/${segs.join('/')}`),
  fc.constantFrom('//evil.test/', '//evil.test', '///evil.test/x', '/\\evil.test/x', '/%2F%2Fevil.test/', '/..//evil.test', '/.%2e/%2e%2e/evil.test', '//user:pw@evil.test/', '//evil.test:8080/x?y', '/%00', '/a/../../..', '/\u0000/x', '//', '/./'),
)

/** Extra request headers: forwarded-host spoofs, odd accept and cookies. */
export const oddHeadersArb = fc.record(
  {
    accept: fc.constantFrom('text/html', '*/*', 'application/json', ''),
    host: fc.constantFrom('evil.test', 'origin.test'),
    'x-forwarded-host': fc.constantFrom('evil.test', '127.0.0.1'),
    'x-edgesplit-unit': fc.constantFrom('forged', ''),
    cookie: fc.constantFrom('edgesplit_uid=%00', 'edgesplit_uid=../x; edgesplit_asg=a=b@1.sig', '__proto__=1', '=;;;='),
    'cf-connecting-ip': fc.constantFrom('::1', '1.2.3.4'),
  },
  { requiredKeys: [] },
)

/** Whether a URL path (after the URL parser's normalisation) still addresses a route's pattern. */
export function addresses(routePath: string, path: string): boolean {
  const pattern = routePath.replace(/[.*+?^$|()[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*(\{[^}]*\})?/g, '[^/]+')
  return new RegExp(`^${pattern}$`).test(new URL(path, 'http://edgesplit.test').pathname)
}

/**
 * What is wrong with the counters of the fuzz experiment: every number must stay finite and within
 * ±2^53, where doubles still count exactly (a hostile value such as 1e300 must never be summed).
 * One line per number out of bounds.
 */
export function counterProblems(countsBody: string): string[] {
  const out: string[] = []
  const walk = (x: unknown, at: string): void => {
    if (typeof x === 'number') {
      if (!Number.isFinite(x) || Math.abs(x) > Number.MAX_SAFE_INTEGER) out.push(`${at} = ${x}`)
    } else if (x === null) out.push(`${at} = null (a non-finite number serialised)`)
    else if (typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, `${at}.${k}`)
  }
  walk((JSON.parse(countsBody) as { counters: unknown }).counters, 'counters')
  return out.map((x) => `counter out of bounds: ${x}`)
}

/** Response status classes the suite reasons about. */
export function isRejected(status: number): boolean {
  return status >= 400 && status < 500
}

/**
 * Fixed examples run before the generated ones on every route, so the known hostile inputs are
 * always sent whatever the run count: each `:param` as a name Object.prototype owns, and the
 * route's well-formed body with one field at a time set to an extreme number or such a name.
 */
export function regressionExamples(route: { method: string; path: string }, experiment: string, variant: string): HostileRequest[] {
  const out: HostileRequest[] = []
  const template = templates(experiment, variant)[`${route.method} ${route.path}`]
  const json = { 'content-type': 'application/json' }
  const bodyOf = (fields: Record<string, string[]>, override?: [string, string]) =>
    `{${Object.entries(fields)
      .map(([k, v]) => `${JSON.stringify(k)}:${override && override[0] === k ? override[1] : v[0]}`)
      .join(',')}}`
  const bodyless = route.method === 'GET' || route.method === 'HEAD'
  const valid = template ? bodyOf(template) : null
  if (/:[A-Za-z_]/.test(route.path)) {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const path = route.path.replace(/:[A-Za-z_]\w*(\{[^}]*\})?/g, name)
      out.push({ method: route.method, path, query: '', headers: json, body: bodyless ? null : (valid ?? '{}'), label: 'prototype name' })
    }
  }
  if (template && !bodyless) {
    const path = route.path.replace(/:[A-Za-z_]\w*(\{[^}]*\})?/g, experiment)
    for (const field of Object.keys(template)) {
      for (const value of ['1e300', '-1e300', '"constructor"']) out.push({ method: route.method, path, query: '', headers: json, body: bodyOf(template, [field, value]), label: `${field}: ${value}` })
    }
  }
  return out
}
