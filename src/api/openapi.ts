import * as z from 'zod/mini'
import { openApiDocument } from '../http/openapi'
import { type Route, routes } from '../http/route'

/** The document's outline (its paths follow OpenAPI 3.1, not restated here). */
const OpenApiSchema = z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string() }), paths: z.record(z.string(), z.unknown()) })

/**
 * `GET /openapi.json` (built once per isolate from the route table) and `GET /docs`, a page
 * that renders it (no CDN): its script and style are Workers Static Assets beside the dashboard's
 * (assets/admin/js/api-docs.js, assets/admin/api-docs.css), outside the script's size budget.
 * `table` reads the whole table lazily: it lists these routes too.
 * @example const ROUTES = [...openApiRoutes(() => ROUTES)]
 */
export function openApiRoutes(table: () => readonly Route[]): Route[] {
  let document: object | undefined
  return routes(
    {
      method: 'GET',
      path: '/openapi.json',
      auth: 'public',
      tag: 'operations',
      summary: 'This document',
      response: { status: 200, description: 'OpenAPI 3.1', schema: { name: 'OpenApi', schema: OpenApiSchema } },
      handler: (c) => c.json((document ??= openApiDocument(table()))),
    },
    {
      method: 'GET',
      path: '/docs',
      auth: 'public',
      tag: 'operations',
      summary: 'This document, as a page',
      response: { status: 200, description: 'the API reference page', mediaType: 'text/html' },
      handler: (c) => c.html(DOCS_PAGE),
    },
  )
}

const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edgesplit API</title><link rel="stylesheet" href="/admin/api-docs.css"></head><body><h1>edgesplit API</h1><p>Machine-readable: <a href="./openapi.json">/openapi.json</a>. Errors: <code>{"error": {"code", "message"}}</code>. 🔒 = needs <code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>.</p>
<main id="ops">Loading…</main><script src="/admin/js/api-docs.js"></script></body></html>`
