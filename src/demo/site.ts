import { env } from 'cloudflare:workers'
import { ASSIGNMENTS_HEADER, FLAGS_HEADER, parseAssignmentsHeader } from '../core/assignment-header'
import { fixedText } from '../http/static-texts'
import { DEMO_STYLESHEET, type DemoVariants, demoPageName } from './page'

/** The boolean flag that shows the demo's launch notice: create it to see a flag change the page. */
export const NOTICE_FLAG = 'demo-banner'

/** Whether the flags header gives `flag` the value true (a missing or unreadable header: no). */
function flagOn(header: string | null, flag: string): boolean {
  if (!header) return false
  try {
    return (JSON.parse(header) as Record<string, unknown>)[flag] === true
  } catch {
    return false
  }
}

/**
 * The built-in origin used when `ORIGIN_URL` is unset (`npm run dev`): seed 001's page (docs/compatibility.md), rendered
 * from the headers the middleware sends, exactly as a real origin would render its variants. It
 * also serves its stylesheet, which shows non-HTML responses passing through untouched. The page's
 * renderings, its 404 page and the stylesheet are static assets (src/demo/texts.ts names them), read
 * through the ASSETS binding of the `cloudflare:workers` env: the middleware hands an origin only the request.
 * @example await demoOrigin(new Request('http://127.0.0.1:8787/', { headers: { 'x-edgesplit-assignments': 'moon_mars=Mars' } }))
 */
export async function demoOrigin(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url)
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('method not allowed', { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain' } })
  }
  if (pathname === DEMO_STYLESHEET) {
    return new Response(await fixedText(env.ASSETS, 'demo.css'), { headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' } })
  }
  if (pathname !== '/' && pathname !== '/index.html') {
    return new Response(await fixedText(env.ASSETS, 'demo-404.html'), { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } })
  }
  const a = parseAssignmentsHeader(request.headers.get(ASSIGNMENTS_HEADER))
  const variants: DemoVariants = { destination: a.moon_mars === 'Mars' ? 'Mars' : 'Moon', button: a.white_gold_btn === 'Gold' ? 'Gold' : 'White' }
  const page = new TextEncoder().encode(await fixedText(env.ASSETS, demoPageName(variants, flagOn(request.headers.get(FLAGS_HEADER), NOTICE_FLAG))))
  // A length, as a static origin sends one.
  return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-length': String(page.length), 'cache-control': 'public, max-age=60' } })
}
