import * as z from 'zod/mini'
import { openApiDocument } from '../http/openapi'
import { type Route, routes } from '../http/route'

/** The document's outline (its paths follow OpenAPI 3.1, not restated here). */
const OpenApiSchema = z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string() }), paths: z.record(z.string(), z.unknown()) })

/**
 * `GET /openapi.json` (built once per isolate from the route table) and `GET /docs`, a
 * self-contained page that renders it (no CDN). `table` reads the whole table lazily: it lists
 * these routes too.
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
<title>edgesplit API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
h1{margin-bottom:.2rem}.op{border:1px solid #d8dde6;border-radius:8px;margin:.8rem 0;padding:.6rem .9rem}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}.get{color:#0a7d3b}.post{color:#1456c4}.patch{color:#a35a00}.delete{color:#b3261e}
code{background:#f1f3f7;padding:0 .25rem;border-radius:4px}details pre{background:#f6f8fb;padding:.6rem;overflow:auto;font-size:12px}.lock{font-size:12px;color:#6b7385}
</style></head><body><h1>edgesplit API</h1><p>Machine-readable: <a href="./openapi.json">/openapi.json</a>. Errors: <code>{"error": {"code", "message"}}</code>. 🔒 = needs <code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>.</p>
<main id="ops">Loading…</main><script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{const main=document.getElementById('ops');main.textContent='';
const esc=s=>String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
for(const [path,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops)){const d=document.createElement('section');d.className='op';
const params=(op.parameters||[]).map(p=>'<li><code>'+esc(p.name)+'</code> ('+p.in+(p.required?', required':'')+') '+esc(p.description||'')+'</li>').join('');
const name=c=>c&&c['application/json']?c['application/json'].schema.$ref.split('/').pop():null;
const show=(what,n)=>n?'<details><summary>'+what+': '+n+'</summary><pre>'+esc(JSON.stringify(doc.components.schemas[n],null,2))+'</pre></details>':'';
const [status,answer]=Object.entries(op.responses)[0],type=answer.content&&Object.keys(answer.content)[0];
d.innerHTML='<div><span class="m '+m+'">'+m+'</span><code>'+esc(path)+'</code> '+(op.security?'<span class="lock">🔒 admin</span>':'')+'</div><div>'+esc(op.summary)+'</div>'+(params?'<ul>'+params+'</ul>':'')+
show('Body',name(op.requestBody&&op.requestBody.content))+(name(answer.content)?show(status+' answer',name(answer.content)):'<div class="lock">'+status+' '+esc(type||answer.description)+'</div>');main.appendChild(d)}})
</script></body></html>`
