// In-memory backend for a workerd `kvNamespace` binding (bench only).
//
// workerd turns KV binding calls into HTTP requests to the designated service; this implements the
// subset of that protocol miniflare's KV worker serves (miniflare/dist/src/workers/kv/namespace.worker.js):
//   GET    /<key>[?urlencoded=true]  → the value (CF-KV-Metadata header if any), 404 when missing
//   PUT    /<key>                    → store the body (metadata from the CF-KV-Metadata header)
//   DELETE /<key>                    → remove
//   GET    /?prefix=…               → { keys: [{ name, metadata }], list_complete: true, cacheStatus: null }
// Expiration and bulk get are not needed by edgesplit and are refused loudly.
// run.mjs also exposes this service on its own socket and reads `GET /__bench/stats` (request
// counts), to show how often the hot path really touches KV.

/** @type {Map<string, { value: ArrayBuffer, metadata: string | null }>} */
const store = new Map()
const stats = { get: 0, put: 0, delete: 0, list: 0 }

export default {
  async fetch(request) {
    const url = new URL(request.url)
    const raw = url.pathname.slice(1)
    if (raw === '__bench/stats') return Response.json(stats)
    if (raw === '' && request.method === 'GET') {
      stats.list++
      const prefix = url.searchParams.get('prefix') ?? ''
      const keys = [...store.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((name) => ({ name, ...(store.get(name).metadata ? { metadata: store.get(name).metadata } : {}) }))
      return Response.json({ keys, list_complete: true, cacheStatus: null })
    }
    let key = raw
    if (url.searchParams.get('urlencoded')?.toLowerCase() === 'true') key = decodeURIComponent(raw)
    switch (request.method) {
      case 'GET': {
        stats.get++
        const entry = store.get(key)
        if (!entry) return new Response(null, { status: 404 })
        const headers = entry.metadata ? { 'CF-KV-Metadata': entry.metadata } : {}
        return new Response(entry.value, { headers })
      }
      case 'PUT':
        if (url.searchParams.has('expiration') || url.searchParams.has('expiration_ttl')) {
          return new Response('bench KV service: expiration is not implemented', { status: 501 })
        }
        stats.put++
        store.set(key, { value: await request.arrayBuffer(), metadata: request.headers.get('CF-KV-Metadata') })
        return new Response(null)
      case 'DELETE':
        stats.delete++
        store.delete(key)
        return new Response(null)
      default:
        return new Response(`bench KV service: ${request.method} ${url.pathname} is not implemented`, { status: 501 })
    }
  },
}
