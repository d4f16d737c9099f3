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
 * (the dashboard's HTML pages, the tracking script) described in words.
 */
export type RouteResponse =
  | { status: number; description: string; schema: NamedSchema }
  | { status: number; description: string; mediaType: 'text/html' | 'text/javascript' }
  | { status: 204 | 301; description: string }

/** One query parameter, for the OpenAPI document (query strings are parsed by the handler). */
export type QueryParam = { name: string; description: string; required?: boolean }

/**
 * One route, declared once: the app registration, the admin guard, the site middleware's reserved
 * paths and the OpenAPI document are all derived from these records (src/routes.ts lists them).
 * `path` uses Hono's syntax (`/v1/experiments/:key`).
 */
export type Route = {
  method: RouteMethod
  path: string
  auth: RouteAuth
  summary: string
  /** OpenAPI tag: the part of the product the route belongs to. */
  tag: string
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
