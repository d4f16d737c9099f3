import type { Context, MiddlewareHandler } from 'hono'
import type * as z from 'zod/mini'
import type { AppEnv } from './app-env'

/** HTTP methods a route can answer. */
export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

/** Who may call a route: anyone, or the holder of the admin token (the guard comes from this field). */
export type RouteAuth = 'public' | 'admin'

/** A zod schema and the name the OpenAPI document lists it under (`#/components/schemas/<name>`). */
export type NamedSchema = { name: string; schema: z.core.$ZodType }

/**
 * What a route answers with, for the OpenAPI document: a JSON schema, or a non-JSON media type
 * (the dashboard's HTML pages, the tracking script); its description is in the route's docs.
 */
export type RouteResponse = { status: number; schema: NamedSchema } | { status: number; mediaType: 'text/html' | 'text/javascript' } | { status: 204 | 301 }

/** One query parameter, for the OpenAPI document (query strings are parsed by the handler). */
export type QueryParam = { name: string; required?: boolean }

/**
 * A route's words for the OpenAPI document, kept beside its route file in `<file>.docs.ts` and
 * keyed by `"<METHOD> <path>"` (src/route-docs.ts gathers them): only `npm run assets` reads them,
 * so none of these strings ships in the Worker's bundle.
 */
export type RouteDocs = {
  /** OpenAPI tag: the part of the product the route belongs to. */
  tag: string
  summary: string
  /** Description of each query parameter, by name. */
  query?: Record<string, string>
  /** Description of the route's response. */
  response: string
}

/**
 * One route, declared once: the app registration, the admin guard, the site middleware's reserved
 * paths and the OpenAPI document (with the route's RouteDocs) are all derived from these records
 * (src/routes.ts lists them).
 * `path` uses Hono's syntax (`/v1/experiments/:key`).
 */
export type Route = {
  method: RouteMethod
  path: string
  auth: RouteAuth
  request?: { body?: NamedSchema; query?: readonly QueryParam[] }
  response: RouteResponse
  /** Middleware that runs before the handler, after the admin guard (e.g. the admin host check). */
  before?: readonly MiddlewareHandler<AppEnv>[]
  handler: (c: Context<AppEnv>) => Response | Promise<Response>
}

/** Declares routes with their types checked (an identity function: the records are the table). */
export function routes(...list: Route[]): Route[] {
  return list
}
