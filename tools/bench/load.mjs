// One autocannon run, in its own process so the load generator never shares an event loop with
// Miniflare's Node side (run.mjs spawns this). Usage:
//   node tools/bench/load.mjs '{"url":"http://127.0.0.1:8787","path":"/v1/assign?unit={i}","connections":50,"duration":10}'
// Every request gets a fresh `{i}` (prefix + counter) or `{uuid}` (a random UUID), so no response can be cached anywhere.
// "headers" (optional) are sent with every GET. Bodies are not read (reading them would cost the load generator more on bigger responses).
// With "events": {"batch", "units", "name"} it POSTs /v1/events batches instead: `batch` events
// per request, each with a fresh id, for units `ev-0 … ev-(units−1)` (exposed beforehand).
// Prints one JSON line: { rps, p50, p99, total, non2xx, errors, timeouts, errorKinds, loaderCpuUs, loaderCpuShare }.

import { randomUUID } from 'node:crypto'
import autocannon from 'autocannon'

const opts = JSON.parse(process.argv[2] ?? '{}')
const prefix = opts.prefix ?? `u${process.pid}-`
let counter = 0
const cpu0 = process.cpuUsage()

const errorKinds = {}
const instance = autocannon({
  url: opts.url,
  connections: opts.connections ?? 50,
  pipelining: 1,
  duration: opts.duration ?? 10,
  requests: [
    opts.events
      ? {
          method: 'POST',
          path: '/v1/events',
          headers: { 'content-type': 'application/json' },
          setupRequest(req) {
            const { batch, units, name } = opts.events
            const n = counter++
            const events = Array.from({ length: batch }, (_, k) => ({ id: `${prefix}${n}-${k}`, unit: `ev-${(n * batch + k) % units}`, name }))
            req.body = JSON.stringify({ events })
            return req
          },
        }
      : {
          method: 'GET',
          // `headers`: what a browser's page view sends (the site rows), so the middleware treats
          // each request as a page view and writes its exposures, as it would for a visitor.
          ...(opts.headers ? { headers: opts.headers } : {}),
          setupRequest(req) {
            req.path = opts.path.replaceAll('{i}', prefix + counter++).replaceAll('{uuid}', () => randomUUID())
            return req
          },
        },
  ],
})
instance.on('reqError', (error) => {
  const kind = error?.code ?? error?.message ?? String(error)
  errorKinds[kind] = (errorKinds[kind] ?? 0) + 1
})
const result = await instance

const cpu = process.cpuUsage(cpu0)

process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    errorKinds,
    // The load generator's own CPU per request: near 1 s/s of CPU means it, not the Worker, is the limit.
    loaderCpuUs: ((cpu.user + cpu.system) / Math.max(1, result.requests.total)),
    loaderCpuShare: (cpu.user + cpu.system) / 1e6 / (result.duration || 1),
  })}\n`,
)
