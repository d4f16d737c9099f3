// Bench origin for the `origin-latency` scenario: the demo site, served by its own workerd over the
// network, answering each request after `origin_ms` milliseconds (a query parameter the Workers in
// front of it pass on with the rest of the URL). A real site's origin takes milliseconds to answer,
// where the in-process demo origin of the site rows answers in microseconds; this is what the
// Workers in front of it are measured against there (tools/bench/origin-latency.mjs).
import { demoOrigin } from '../../src/demo/site'

export default {
  async fetch(request: Request): Promise<Response> {
    const ms = Number(new URL(request.url).searchParams.get('origin_ms'))
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms))
    return demoOrigin(request)
  },
}
