// The hostile-input suite: every route the app registers, and the site middleware's catch-all,
// fed generated malformed requests (fast-check, fixed seed; `FUZZ_RUNS=N npm test` for more runs).
// No answer may be a 5xx, every refusal must be in the route's error shape, no refused request may
// change a counter, and no request may push a counter out of exact double range.
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import {
  type HostileRequest,
  type Route,
  addresses,
  appRoutes,
  asAdmin,
  bodyArb,
  concretePathArb,
  contentTypeArb,
  counterProblems,
  describeRequest,
  errorShapeOk,
  FC,
  isRejected,
  ODD_METHODS,
  oddHeadersArb,
  oddPathArb,
  queryArb,
  regressionExamples,
  send,
  templates,
} from './hostile-support'
import { admin, call, createExperiment, env, uniqueKey } from './helpers'
import { fakeOrigin, html } from './site-support'

const app = createApp()
const routes = appRoutes()
const VARIANT = 'b'
/** Per property: generous, since a run sends megabyte bodies and `FUZZ_RUNS` scales the count. */
const TIMEOUT = 30_000 + FC.numRuns * 1_000

/**
 * Creates and starts a fresh experiment for one route's properties (so one route's admin fuzz,
 * or a counter one defect corrupts, never affects another route), and exposes the units the body
 * templates use, so their events reach the counting code.
 */
async function fuzzExperiment(): Promise<string> {
  const key = uniqueKey('hostile')
  await createExperiment({
    key,
    title: 'Hostile',
    variants: [
      { key: 'a', weight: 1 },
      { key: VARIANT, weight: 1 },
    ],
    metrics: [
      { key: 'clicks', type: 'binomial', event: 'click' },
      { key: 'revenue', type: 'mean', event: 'click', role: 'secondary' },
      { key: 'conversion', type: 'binomial', event: 'conversion', role: 'secondary' },
    ],
  })
  for (const unit of ['u-1', 'hostile-unit', 'd-1']) expect((await call(`/v1/assign?unit=${unit}&experiments=${key}`)).status).toBe(200)
  return key
}

/** The fuzz experiment's counters, as the admin API reports them. */
async function counts(key: string): Promise<string> {
  const res = await admin(`/v1/experiments/${key}/counts`)
  expect(res.status).toBe(200)
  return res.text()
}

/** A generated request for one route: its own method mostly, sometimes an odd one. */
function requestArb(route: Route, key: string): fc.Arbitrary<HostileRequest> {
  const template = templates(key, VARIANT)[`${route.method} ${route.path}`]
  return fc
    .record({
      method: fc.oneof({ weight: 4, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) }),
      path: concretePathArb(route.path, key),
      query: queryArb,
      contentType: contentTypeArb,
      body: bodyArb(template),
    })
    .map(({ method, path, query, contentType, body }) => {
      const bodyless = method === 'GET' || method === 'HEAD' || method === 'get'
      return {
        method,
        path,
        query,
        headers: (contentType === undefined ? {} : { 'content-type': contentType }) as Record<string, string>,
        body: bodyless ? null : body.body,
        label: bodyless ? 'no body' : body.label,
      }
    })
}

/** What is wrong with one answer from an API route (empty when nothing is). */
async function problems(route: Route, r: HostileRequest, res: Response): Promise<string[]> {
  const out: string[] = []
  if (res.status >= 500) out.push(`status ${res.status}: ${(await res.text()).slice(0, 300)}`)
  else if (res.status >= 400 && r.method !== 'HEAD') {
    const type = res.headers.get('content-type') ?? ''
    const text = await res.text()
    // A `..` in a parameter can move the request off the route (to the site or the app's 404),
    // which may answer in HTML; the API routes themselves always answer refusals in JSON.
    const onRoute = addresses(route.path, r.path)
    if (!type.includes('json')) {
      if (onRoute) out.push(`status ${res.status} answered as "${type}", not JSON: ${text.slice(0, 200)}`)
    } else {
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        out.push(`status ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`)
      }
      if (body !== undefined && !errorShapeOk(onRoute ? route.dialect : 'native', body)) out.push(`status ${res.status} not in the ${route.dialect} error shape: ${text.slice(0, 300)}`)
    }
  } else await res.arrayBuffer()
  return out
}

/** A property over one route: no 5xx, refusals in its error shape, and refusals count nothing. */
async function fuzzRoute(route: Route, key: string, asAdminCaller: boolean): Promise<void> {
  let before = await counts(key)
  await fc.assert(
    fc.asyncProperty(requestArb(route, key), async (generated) => {
      const r = asAdminCaller ? asAdmin(generated) : generated
      const res = await send(app, r)
      const found = await problems(route, r, res)
      const after = await counts(key)
      if (isRejected(res.status) && after !== before) found.push(`a refused request (${res.status}) changed the counters:\n  before ${before}\n  after  ${after}`)
      // Only what this request broke: a counter an earlier request corrupted has been reported.
      const known = new Set(counterProblems(before))
      found.push(...counterProblems(after).filter((p) => !known.has(p)).slice(0, 5))
      before = after
      if (found.length > 0) throw new Error(`${describeRequest(r)}\n  → ${found.join('\n  → ')}`)
    }),
    { ...FC, examples: regressionExamples(route, key, VARIANT).map((e) => [e] as [HostileRequest]) },
  )
}

describe('hostile input', () => {
  it('should find every route the app registers, the seed adapters tagged', () => {
    const pairs = routes.map((r) => `${r.method} ${r.path} ${r.dialect}`)
    expect(pairs).toEqual(expect.arrayContaining(['POST /v1/events native', 'GET /v1/assign native', 'POST /log seed000', 'POST /api/experiments/update seed001', 'GET /health native']))
    expect(routes.every((r) => !r.path.includes('*'))).toBe(true)
  })

  describe.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    let key = ''
    beforeAll(async () => {
      key = await fuzzExperiment()
    })

    it('should refuse malformed public requests with a 4xx in its error shape, counting nothing', async () => {
      await fuzzRoute(route, key, false)
    }, TIMEOUT)

    it('should refuse malformed admin requests with a 4xx in its error shape, counting nothing', async () => {
      await fuzzRoute(route, key, true)
    }, TIMEOUT)
  })

  it('should answer arbitrary paths below 500 and never fetch from any host but the configured origin', async () => {
    const origin = fakeOrigin((request) => {
      const url = new URL(request.url)
      if (url.pathname.endsWith('.json')) return Response.json({ ok: true })
      if (url.pathname.includes('redirect')) return new Response(null, { status: 302, headers: { location: `${url.origin}/elsewhere` } })
      return html('<html><head></head><body>page</body></html>')
    })
    const site = createApp({ site: { fetch: origin.fetch } })
    const bindings = ['https://origin.test', 'https://origin.test/base/'].map((ORIGIN_URL) => ({ ...env, ORIGIN_URL }) as Env)
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          path: oddPathArb,
          query: queryArb,
          method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST'), fc.constantFrom(...ODD_METHODS)),
          headers: oddHeadersArb,
          config: fc.integer({ min: 0, max: 1 }),
          body: bodyArb(undefined),
        }),
        async ({ path, query, method, headers, config, body }) => {
          const bodyless = method === 'GET' || method === 'HEAD' || method === 'get'
          const r: HostileRequest = { method, path, query, headers, body: bodyless ? null : body.body, label: bodyless ? 'no body' : body.label }
          origin.calls.length = 0
          const res = await send(site, r, bindings[config], 'http://site.test')
          const found: string[] = []
          if (res.status >= 500) found.push(`status ${res.status}: ${(await res.text()).slice(0, 300)}`)
          else await res.arrayBuffer()
          for (const c of origin.calls) {
            const u = new URL(c.url)
            if (u.host !== 'origin.test' || u.protocol !== 'https:') found.push(`fetched ${c.url} instead of the origin`)
          }
          const location = res.headers.get('location') ?? ''
          if (location.includes('origin.test')) found.push(`redirected the visitor to the origin's own address: ${location}`)
          if (found.length > 0) throw new Error(`${describeRequest(r)} (ORIGIN_URL ${bindings[config]!.ORIGIN_URL})\n  → ${found.join('\n  → ')}`)
        },
      ),
      { ...FC, numRuns: FC.numRuns * 8 },
    )
  }, TIMEOUT * 8)
})
