// Bench comparison row: GrowthBook's edge app (@growthbook/edge-cloudflare) in front of the same
// in-process demo origin as passthrough-worker.ts and the site row. The payload comes through the
// documented config override of `handleRequest(request, env, config)`, so no KV is needed.
// GrowthBook fetches its origin with the global `fetch(proxyTarget + path)`; requests to the
// placeholder host below are answered by `demoOrigin` in the same isolate, exactly as
// passthrough-worker.ts calls it, so neither row pays a network hop the other does not. With
// ORIGIN_URL set (the origin-latency scenario) it proxies that origin over the network instead.
import { handleRequest } from '@growthbook/edge-cloudflare'
import { demoOrigin } from '../../src/demo/site'
import { GROWTHBOOK_PAYLOAD } from './growthbook-payload'

const ORIGIN_HOST = 'demo-origin.invalid'
const networkFetch = globalThis.fetch.bind(globalThis)

globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init)
  return new URL(request.url).hostname === ORIGIN_HOST ? demoOrigin(request) : networkFetch(request)
}

// persistUuid: a new visitor gets its id cookie from the edge, as edgesplit's middleware sets its own.
const config = { payload: GROWTHBOOK_PAYLOAD, proxyTarget: `http://${ORIGIN_HOST}`, persistUuid: true } as never

// The same config pointed at ORIGIN_URL, made on the first request (env is not known before).
let networked: never | undefined

export default {
  fetch: (request: Request, env: Record<string, unknown>) =>
    handleRequest(request, env, typeof env.ORIGIN_URL === 'string' ? (networked ??= { ...(config as object), proxyTarget: env.ORIGIN_URL } as never) : config),
}
