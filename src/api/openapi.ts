import * as z from 'zod/mini'
import { type Route, routes } from '../http/route'
import { assetText, fixedText } from '../http/static-texts'

/** The document's outline (its paths follow OpenAPI 3.1, not restated here). */
const OpenApiSchema = z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string() }), paths: z.record(z.string(), z.unknown()) })
// Parsed once per isolate; c.json writes it back as the same bytes (the file is JSON.stringify's output).
let document: object | undefined

/**
 * `GET /openapi.json` and `GET /docs`, a page that renders it (no CDN). The document is built from
 * the route table (src/http/openapi.ts) by `npm run assets` into assets/_edgesplit/openapi.json, and
 * the page is assets/_edgesplit/texts.json's `docs.html`; its script and style are the dashboard's
 * assets (assets/admin/js/api-docs.js, assets/admin/api-docs.css): all outside the script's size budget.
 */
export const openApiRoutes: Route[] = routes(
  {
    method: 'GET',
    path: '/openapi.json',
    auth: 'public',
    response: { status: 200, schema: { name: 'OpenApi', schema: OpenApiSchema } },
    handler: async (c) => c.json((document ??= JSON.parse(await assetText(c.var.services.assets, '_edgesplit/openapi.json')) as object)),
  },
  {
    method: 'GET',
    path: '/docs',
    auth: 'public',
    response: { status: 200, mediaType: 'text/html' },
    handler: async (c) => c.html(await fixedText(c.var.services.assets, 'docs.html')),
  },
)
