/**
 * `GET /docs`: the page that renders /openapi.json. The Worker serves it from
 * assets/_edgesplit/texts.json (`docs.html`, written from this constant by `npm run assets`).
 */
export const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edgesplit API</title><link rel="stylesheet" href="/admin/api-docs.css"></head><body><h1>edgesplit API</h1><p>Machine-readable: <a href="./openapi.json">/openapi.json</a>. Errors: <code>{"error": {"code", "message"}}</code>. 🔒 = needs <code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>.</p>
<main id="ops">Loading…</main><script src="/admin/js/api-docs.js"></script></body></html>`
