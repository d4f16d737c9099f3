// Bench reference for the site rows: the smallest middleware that does our middleware's job for a
// page view with the platform's own tools, in front of the same demo origin. It reads or makes an id
// (a cookie, else `crypto.randomUUID`), takes one Web Crypto SHA-256 per experiment for the demo's two
// experiments, tells the origin in the same header ours sends, puts the assignments in the page's
// <head>, and sets the id and assignment cookies. No config, no targeting, no validation, no signed
// cookie, no exposure counting. Issue 12 asks the site rows for 0.6× of the pass-through; this row
// shows what that ratio is for the bare job on the host the bench runs on. With ORIGIN_URL set (the
// origin-latency scenario) the origin is reached over the network instead.
import { ASSIGNMENTS_HEADER } from '../../src/core/assignment-header'
import { demoOrigin } from '../../src/demo/site'
import { onOrigin } from './network-origin'

const EXPERIMENTS: [string, [string, string]][] = [
  ['moon_mars', ['Moon', 'Mars']],
  ['white_gold_btn', ['White', 'Gold']],
]
const encoder = new TextEncoder()

export default {
  async fetch(request: Request, env: { ORIGIN_URL?: string }): Promise<Response> {
    const unit = /(?:^|;\s*)uid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? crypto.randomUUID()
    const assignments: Record<string, string> = {}
    for (const [experiment, variants] of EXPERIMENTS) {
      const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`${experiment}:${unit}`))
      assignments[experiment] = variants[new DataView(digest).getUint32(0) < 2 ** 31 ? 0 : 1]
    }
    const told = Object.entries(assignments).map(([k, v]) => `${k}=${v}`).join('; ')
    const headers = new Headers(request.headers)
    headers.set(ASSIGNMENTS_HEADER, told)
    const origin = await (env.ORIGIN_URL ? fetch(onOrigin(env.ORIGIN_URL, request), { headers }) : demoOrigin(new Request(request, { headers })))
    const script = `<script>window.edgesplit=${JSON.stringify({ unit, assignments })}</script>`
    // The cheapest insert there is for a small page: the whole body as one string. It does not
    // stream (ours does, and HTMLRewriter does: with HTMLRewriter this row measured 0.38×, against
    // 0.44–0.52× this way; docs/performance.md, "The site rows against the bare job").
    const out = new Response((await origin.text()).replace('<head>', `<head>${script}`), origin)
    out.headers.append('set-cookie', `uid=${unit}; Path=/; Max-Age=31536000; SameSite=Lax`)
    out.headers.append('set-cookie', `asg=${encodeURIComponent(told)}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`)
    out.headers.set('cache-control', 'private, no-cache')
    return out
  },
}
