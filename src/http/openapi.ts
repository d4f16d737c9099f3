import { type JsonSchema, type JsonSchemaSink, toJsonSchema } from './json-schema'
import type { NamedSchema, Route, RouteDocs, RouteResponse } from './route'

const ERROR_SCHEMA = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
}

/**
 * The OpenAPI 3.1 document of a route table: every path, its parameters, request body and response
 * schema come from the route records (the zod schemas the handlers validate with and answer in),
 * each named schema once under `components/schemas`; the words (tag, summary, descriptions) come
 * from `docs`, keyed by `"<METHOD> <path>"` (a route without docs is an error, not a blank).
 * @example openApiDocument(ROUTES, ROUTE_DOCS).paths['/v1/experiments/{key}'].get
 */
export function openApiDocument(table: readonly Route[], docs: Readonly<Record<string, RouteDocs>>): { paths: Record<string, Record<string, object>>; components: { schemas: Record<string, object> } } {
  const schemas: Record<string, JsonSchema> = { Error: ERROR_SCHEMA }
  // A request body is described as a client may send it (fields with defaults optional), a response as sent.
  // Recursive parts are named once per document and direction (the first schema that uses one names it).
  const named = { input: new Map<unknown, string>(), output: new Map<unknown, string>() }
  const ref = ({ name, schema }: NamedSchema, io: 'input' | 'output') => {
    if (!(name in schemas)) {
      const sink: JsonSchemaSink = { schemas, prefix: name, count: 0, named: named[io] }
      schemas[name] = {}
      schemas[name] = toJsonSchema(schema, io, sink)
    }
    return { $ref: `#/components/schemas/${name}` }
  }
  const paths: Record<string, Record<string, object>> = {}
  for (const route of table) {
    const path = route.path.replace(/:(\w+)/g, '{$1}')
    const words = docs[routeKey(route)]
    if (!words) throw new Error(`no docs for ${routeKey(route)}: add them to the route file's .docs.ts`)
    ;(paths[path] ??= {})[route.method.toLowerCase()] = operation(route, words, ref)
  }
  return {
    openapi: '3.1.0',
    info: { title: 'edgesplit', version: '1', description: 'A/B testing at the edge. Errors share one envelope: {"error": {"code", "message"}}.' },
    components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (a Worker secret)' } }, schemas },
    paths,
  } as never
}

/** The key of a route's docs: `"<METHOD> <path>"`, the path in Hono's syntax (`GET /v1/experiments/:key`). */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`
}

type Ref = (named: NamedSchema, io: 'input' | 'output') => object

function operation(route: Route, words: RouteDocs, ref: Ref): object {
  const parameters = [
    ...[...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(route.request?.query ?? []).map((q) => ({ name: q.name, in: 'query', required: !!q.required, description: words.query?.[q.name], schema: { type: 'string' } })),
  ]
  const body = route.request?.body
  return {
    summary: words.summary,
    tags: [words.tag],
    ...(route.auth === 'admin' ? { security: [{ admin: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(body, 'input') } } } } : {}),
    responses: {
      [String(route.response.status)]: response(route.response, words.response, ref),
      '4XX': { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  }
}

function response(r: RouteResponse, description: string, ref: Ref): object {
  if ('mediaType' in r) return { description, content: { [r.mediaType]: { schema: { type: 'string' } } } }
  if ('schema' in r && r.schema) return { description, content: { 'application/json': { schema: ref(r.schema, 'output') } } }
  return { description }
}
