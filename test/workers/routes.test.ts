import { inspectRoutes } from 'hono/dev'
import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { createApp } from '../../src/app'
import type { Route } from '../../src/http/route'
import { ROUTE_DOCS } from '../../src/route-docs'
import { isReservedPath, ROUTES } from '../../src/routes'
import { admin, call, createExperiment, uniqueKey } from './helpers'

const pair = (r: { method: string; path: string }) => `${r.method} ${r.path}`

/** A concrete path for a route: every `:param` filled in. */
const concrete = (path: string) => path.replace(/:(\w+)/g, 'no-such-$1')

/** The route of the table that answers `METHOD path`. */
function routeOf(method: string, path: string): Route {
  const route = ROUTES.find((r) => r.method === method && r.path === path)
  if (!route) throw new Error(`no route ${method} ${path} in the table`)
  return route
}

/** Reads a JSON answer and checks it against the response schema its route declares. */
async function conforms(method: string, path: string, res: Response): Promise<any> {
  const route = routeOf(method, path)
  expect(res.status, `${method} ${path}`).toBe(route.response.status)
  const body = await res.json()
  if (!('schema' in route.response)) throw new Error(`${method} ${path} declares no JSON schema`)
  const parsed = z.safeParse(route.response.schema.schema, body)
  expect(parsed.success ? 'conforms' : JSON.stringify(parsed.error.issues.slice(0, 3)), `${method} ${path}`).toBe('conforms')
  return body
}

describe('the route table', () => {
  it('should register exactly the routes of the table, each once', () => {
    const registered = inspectRoutes(createApp())
      .filter((r) => !r.isMiddleware && r.method !== 'ALL')
      .map(pair)
    expect(registered.length).toBeGreaterThan(20)
    expect([...registered].sort()).toEqual(ROUTES.map(pair).sort())
    expect(new Set(registered).size).toBe(registered.length)
  })

  it('should refuse every admin route without the admin token', async () => {
    const guarded = ROUTES.filter((r) => r.auth === 'admin')
    expect(guarded.length).toBeGreaterThan(10)
    for (const route of guarded) {
      const res = await call(concrete(route.path), { method: route.method, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { json: {} }) })
      expect(res.status, pair(route)).toBe(401)
      expect((await res.json<any>()).error.code, pair(route)).toBe('unauthorized')
    }
  })

  it('should let every public route answer without the admin token', async () => {
    for (const route of ROUTES.filter((r) => r.auth === 'public')) {
      const res = await call(concrete(route.path), { method: route.method, ...(route.method === 'GET' ? {} : { json: {} }) })
      expect([401, 403], pair(route)).not.toContain(res.status)
    }
  })

  it('should leave every path of the table, and anything under its namespaces, to the Worker whatever its capitalisation', () => {
    for (const route of ROUTES) {
      expect(isReservedPath(concrete(route.path)), route.path).toBe(true)
      expect(isReservedPath(concrete(route.path).toUpperCase()), route.path).toBe(true)
    }
    expect(['/v1', '/v1/nothing', '/api/x', '/experiments/a/b/c', '/admin/js/app.js', '/admin/vendor/uPlot.min.js', '/admin/admin.css', '/_edgesplit/x'].filter((p) => !isReservedPath(p))).toEqual([])
    expect(['/', '/pricing', '/eventsy', '/api-docs', '/v1x', '/healthz', '/health/'].filter((p) => isReservedPath(p))).toEqual([])
  })
})

describe('/openapi.json from the route table', () => {
  it('should describe every route of the table: its parameters, its body and a response schema (or media type)', async () => {
    const doc = await (await call('/openapi.json')).json<any>()
    for (const route of ROUTES) {
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()]
      expect(op, pair(route)).toBeDefined()
      expect(op.tags, pair(route)).toEqual([ROUTE_DOCS[pair(route)]!.tag])
      expect(!!op.security, pair(route)).toBe(route.auth === 'admin')
      const params = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => name)
      expect(op.parameters?.filter((p: any) => p.in === 'path').map((p: any) => p.name) ?? [], pair(route)).toEqual(params)
      if (route.request?.body) expect(doc.components.schemas[route.request.body.name], pair(route)).toBeDefined()
      const answer = op.responses[String(route.response.status)]
      expect(answer, pair(route)).toBeDefined()
      if (route.response.status === 204 || route.response.status === 301) continue
      const [mediaType, content] = Object.entries<any>(answer.content ?? { none: {} })[0]!
      if (mediaType === 'application/json') {
        const name = content.schema.$ref.split('/').pop()
        const schema = doc.components.schemas[name]
        expect(schema?.type ?? schema?.anyOf ?? schema?.oneOf, `${pair(route)} → ${name}`).toBeDefined()
      } else {
        expect(['text/html', 'text/javascript'], pair(route)).toContain(mediaType)
      }
    }
  })

  it('should describe the results and counts answers field by field, not in prose', async () => {
    const doc = await (await call('/openapi.json')).json<any>()
    const { ExperimentResults, Counts, Seed000Results, Seed001Experiments } = doc.components.schemas
    expect(ExperimentResults.required).toEqual(expect.arrayContaining(['experiment', 'srm', 'verdict', 'metrics', 'series', 'allocation', 'allocations']))
    expect(ExperimentResults.properties.metrics.items.properties.variants.items.properties.comparison).toBeDefined()
    expect(Counts.properties.counters.properties.epochs.additionalProperties.properties.variants).toBeDefined()
    expect(Seed000Results.required).toEqual(expect.arrayContaining(['p_value', 'confidence_interval']))
    expect(Seed001Experiments.additionalProperties.properties.rollout_group).toBeDefined()
  })
})

describe('answers match the response schemas the table declares', () => {
  it('should answer the native API in its declared shapes', async () => {
    const key = uniqueKey('rt')
    await createExperiment({ key, title: 'Route table', variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }] })
    await conforms('GET', '/health', await call('/health'))
    await conforms('GET', '/openapi.json', await call('/openapi.json'))
    await conforms('GET', '/v1/experiments', await admin('/v1/experiments'))
    await conforms('GET', '/v1/experiments/:key', await admin(`/v1/experiments/${key}`))
    const assigned = await conforms('GET', '/v1/assign', await call(`/v1/assign?unit=u1&experiments=${key}`))
    await conforms('POST', '/v1/assign', await call('/v1/assign', { method: 'POST', json: { unit: 'u2', experiments: [key] } }))
    expect(assigned.assignments[key].enrolled).toBe(true)
    await conforms('POST', '/v1/events', await call('/v1/events', { method: 'POST', json: { id: `${key}-e1`, unit: 'u1', name: 'conversion' } }))
    const counts = await conforms('GET', '/v1/experiments/:key/counts', await admin(`/v1/experiments/${key}/counts`))
    // u1 (GET) and u2 (POST) were both exposed, in whichever variants they hash to.
    const variants = Object.values<{ exposures: number }>(counts.counters.epochs['1'].variants)
    expect(variants.reduce((sum, v) => sum + v.exposures, 0)).toBe(2)
    await conforms('GET', '/v1/experiments/:key/results', await admin(`/v1/experiments/${key}/results`))
    await conforms('GET', '/v1/sample-size', await call('/v1/sample-size?baseline=0.1&mde=0.2'))
    await conforms('PATCH', '/v1/experiments/:key', await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { title: 'Renamed' } }))
    await conforms('POST', '/v1/experiments/:key/transition', await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'paused' } }))
  })

  it("should answer seed 000's API in its declared shapes", async () => {
    const created = await conforms(
      'POST',
      '/experiments',
      await admin('/experiments', { method: 'POST', json: { name: 'Route table', description: 'd', control_model_id: 'm1', treatment_model_id: 'm2' } }),
    )
    const id = created.id
    await conforms('POST', '/experiments/:id/start', await admin(`/experiments/${id}/start`, { method: 'POST' }))
    for (let i = 0; i < 12; i++) {
      const user = `rt-user-${i}`
      const routed = await conforms('POST', '/route', await call('/route', { method: 'POST', json: { user_id: user, experiment_id: id } }))
      await conforms('POST', '/log', await call('/log', { method: 'POST', json: { experiment_id: id, user_id: user, variant_name: routed.variant_name, converted: i % 3 === 0 } }))
    }
    await conforms('GET', '/experiments/:id', await admin(`/experiments/${id}`))
    await conforms('GET', '/experiments/:id/results', await admin(`/experiments/${id}/results`))
    await conforms('POST', '/experiments/:id/stop', await admin(`/experiments/${id}/stop`, { method: 'POST' }))
  })

  it("should answer seed 001's API in its declared shapes", async () => {
    const key = uniqueKey('rt1')
    await createExperiment({ key, title: 'Route table', variants: [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }] }, false)
    await conforms('POST', '/api/experiments/update', await admin('/api/experiments/update', { method: 'POST', json: { name: key, state: 'active' } }))
    const all = await conforms('GET', '/api/experiments', await call('/api/experiments'))
    expect(all[key].state).toBe('active')
    const groups = await conforms('GET', '/api/expgroups', await call('/api/expgroups?device_id=rt-device'))
    expect(['A', 'B']).toContain(groups[key].group)
    await conforms('POST', '/events', await call('/events', { method: 'POST', json: { device_id: 'rt-device', source: 'browser', event: 'click', params: { a: 1 } } }))
    await conforms('GET', '/events', await admin('/events'))
  })
})
