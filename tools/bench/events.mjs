// Events scenario of `npm run bench`: events/s through the Worker into each counter store, with
// batches of 1 and of 100 events per request, and the store round trips each batch costs.
// The Worker runs with the real stores: the embedded COUNTERS Durable Object, and Upstash through
// the project's Upstash-protocol server in front of the OS redis-server (tools/upstash). Units are
// exposed first through /v1/assign, so every event is attributed and counted. Round trips are
// counted where they can be seen from outside: the Upstash-protocol server counts its HTTP requests;
// the Durable Object store makes one RPC per experiment shard per call (src/store/durable-object).
import { startRedisStack } from '../upstash/redis-harness.mjs'
import { countedInRedis } from './bindings.mjs'

export const EVENT_UNITS = 2000
const EXPERIMENT = 'bench-ev'

/** Runs the events rows on one runtime for one store; `run` provides the bench's plumbing. */
export async function eventsBench({ store, runtime, label, spec, withRuntime, load, S, admin }) {
  const stack = store === 'upstash' ? await startRedisStack({ token: 'bench-upstash-token' }) : null
  const rows = []
  try {
    const s = stack ? countedInRedis(spec, stack) : spec
    await withRuntime(runtime, s, '/health', async (rt) => {
      await admin(rt.url, 'POST', '/v1/experiments', {
        key: EXPERIMENT,
        title: 'Bench events',
        variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }],
        metrics: [{ key: 'clicked', type: 'binomial', event: 'click' }],
      })
      await admin(rt.url, 'POST', `/v1/experiments/${EXPERIMENT}/transition`, { to: 'running' })
      await expose(rt.url)
      for (const batch of [1, 100]) {
        const events = { batch, units: EVENT_UNITS, name: 'click' }
        const id = Math.random().toString(36).slice(2, 8)
        await load({ url: rt.url, events, connections: S.eventConnections, duration: S.warmup, prefix: `w${id}-` })
        const before = stack?.server.stats().requests ?? 0
        const r = await load({ url: rt.url, events, connections: S.eventConnections, duration: S.duration, prefix: `m${id}-` })
        const after = stack?.server.stats().requests ?? 0
        if (r.non2xx > 0) {
          const probe = await fetch(`${rt.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unit: 'ev-1', name: 'click' }) })
          throw new Error(`${r.non2xx} non-2xx answers to event batches of ${batch} (${store}, ${label}); a probe answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`)
        }
        rows.push({
          store,
          runtime: label,
          batch,
          requestsPerSec: r.rps,
          eventsPerSec: r.rps * batch,
          p50: r.p50,
          p99: r.p99,
          roundTrips: stack ? (after - before) / Math.max(1, r.total) : 1,
          measured: !!stack,
        })
      }
      await verify(rt.url)
    })
  } finally {
    await stack?.stop()
  }
  return rows
}

/** Exposes ev-0 … ev-(EVENT_UNITS−1), 20 at a time, then waits for the batched exposure write. */
async function expose(url) {
  let next = 0
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < EVENT_UNITS) {
        const res = await fetch(`${url}/v1/assign?unit=ev-${next++}&experiments=${EXPERIMENT}`)
        if (!res.ok) throw new Error(`exposing units: /v1/assign answered ${res.status}`)
        await res.arrayBuffer()
      }
    }),
  )
  await new Promise((r) => setTimeout(r, 300))
}

/** Every exposed unit must have been counted: exposures equal EVENT_UNITS. */
async function verify(url) {
  const res = await fetch(`${url}/v1/experiments/${EXPERIMENT}/counts`, { headers: { authorization: 'Bearer bench-admin-token-0123456789abcdef' } })
  const body = await res.json()
  const variants = body.counters?.epochs?.['1']?.variants ?? {}
  const exposures = Object.values(variants).reduce((n, v) => n + v.exposures, 0)
  if (exposures !== EVENT_UNITS) throw new Error(`expected ${EVENT_UNITS} exposures counted, found ${exposures}`)
}
