import { type JsonSchema, type JsonSchemaSink, toJsonSchema } from './json-schema'
import type { NamedSchema, Route, RouteResponse } from './route'

const ERROR_SCHEMA = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
}

/**
 * The OpenAPI 3.1 document of a route table: every path, its parameters, request body and response
 * schema come from the route records (the zod schemas the handlers validate with and answer in),
 * each named schema once under `components/schemas`.
 * @example openApiDocument(ROUTES).paths['/v1/experiments/{key}'].get
 */
export function openApiDocument(table: readonly Route[]): { paths: Record<string, Record<string, object>>; components: { schemas: Record<string, object> } } {
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
    ;(paths[path] ??= {})[route.method.toLowerCase()] = operation(route, ref)
  }
  return {
    openapi: '3.1.0',
    info: { title: 'edgesplit', version: '1', description: 'A/B testing at the edge. Errors share one envelope: {"error": {"code", "message"}}.' },
    components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (a Worker secret)' } }, schemas },
    paths,
  } as never
}

type Ref = (named: NamedSchema, io: 'input' | 'output') => object

function operation(route: Route, ref: Ref): object {
  const parameters = [
    ...[...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(route.request?.query ?? []).map((q) => ({ name: q.name, in: 'query', required: !!q.required, description: q.description, schema: { type: 'string' } })),
  ]
  const body = route.request?.body
  return {
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth === 'admin' ? { security: [{ admin: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(body, 'input') } } } } : {}),
    responses: {
      [String(route.response.status)]: response(route.response, ref),
      '4XX': { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  }
}

function response(r: RouteResponse, ref: Ref): object {
  if ('mediaType' in r) return { description: r.description, content: { [r.mediaType]: { schema: { type: 'string' } } } }
  if ('schema' in r && r.schema) return { description: r.description, content: { 'application/json': { schema: ref(r.schema, 'output') } } }
  return { description: r.description }
}
