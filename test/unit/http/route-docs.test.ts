import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openApiDocument, routeKey } from '../../../src/http/openapi'
import { ROUTE_DOCS } from '../../../src/route-docs'
import { ROUTES } from '../../../src/routes'

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url))

describe("the route table's docs (src/route-docs.ts)", () => {
  it('should document every route of the table: tag, summary, response and each query parameter', () => {
    const undocumented = ROUTES.flatMap((route) => {
      const docs = ROUTE_DOCS[routeKey(route)]
      if (!docs) return [routeKey(route)]
      const missing = (route.request?.query ?? []).filter((q) => !docs.query?.[q.name]).map((q) => `${routeKey(route)} ?${q.name}`)
      return [docs.tag, docs.summary, docs.response].every(Boolean) ? missing : [routeKey(route), ...missing]
    })
    expect(undocumented).toEqual([])
  })

  it('should name only routes of the table, and only their query parameters', () => {
    const routes = new Map(ROUTES.map((route) => [routeKey(route), route]))
    const stray = Object.entries(ROUTE_DOCS).flatMap(([key, docs]) => {
      const route = routes.get(key)
      if (!route) return [key]
      const names = new Set((route.request?.query ?? []).map((q) => q.name))
      return Object.keys(docs.query ?? {})
        .filter((name) => !names.has(name))
        .map((name) => `${key} ?${name}`)
    })
    expect(stray).toEqual([])
  })

  it('should refuse to build the OpenAPI document of a route without docs', () => {
    const [first] = ROUTES
    expect(() => openApiDocument([{ ...first!, path: '/v1/undocumented' }], ROUTE_DOCS)).toThrow(/no docs for GET \/v1\/undocumented/)
  })

  it("should stay out of the Worker's bundle: only other docs modules import a docs module", () => {
    const sources = (readdirSync(SRC, { recursive: true }) as string[]).filter((path) => path.endsWith('.ts')).map((path) => path.split('\\').join('/'))
    const importers = sources.filter((path) => /from '[^']*(\.docs|route-docs)'/.test(readFileSync(SRC + path, 'utf8')))
    expect(importers.filter((path) => !path.endsWith('.docs.ts') && path !== 'route-docs.ts')).toEqual([])
    expect(importers).toContain('route-docs.ts')
  })
})
