// The streaming injector (src/site/inject.ts, head-scan.ts) against HTMLRewriter, its reference:
// real pages cut into arbitrary chunks must come out byte for byte as HTMLRewriter writes them,
// and the pages a site really sends must take the fast path (fast-check, fixed seed).
import { env } from 'cloudflare:test'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEMO_NOT_FOUND, demoPage } from '../../src/demo/page'
import { injectionPoint } from '../../src/site/head-scan'
import { cspNonce, injectedTags, injectIntoHtml, injectIntoPage, type PageData, rewriteIntoHtml, SCAN_LIMIT, SMALL_PAGE } from '../../src/site/inject'

const encoder = new TextEncoder()
const data: PageData = { unit: 'c0ffee00-1111-4222-8333-444455556666', assignments: { moon_mars: 'Mars', white_gold_btn: 'Gold' } }
/** Runs per property: `FUZZ_RUNS=N npm test` scales them. */
const RUNS = Number((env as unknown as { FUZZ_RUNS?: string }).FUZZ_RUNS) || 60

/** Pages as sites send them: the fast path must place the tags in every one. */
const COMMON = [
  demoPage({ destination: 'Moon', button: 'White' }, '/static/banners.css'),
  demoPage({ destination: 'Mars', button: 'Gold' }, '/static/banners.css'),
  DEMO_NOT_FOUND,
  '<html><head><title>t</title></head><body></body></html>',
  '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>t</title></head></html>',
  '<html><head></head><body></body></html>',
  '<html><head>\n  </head ><body></body></html>',
  '<html><body><p>hi</p></body></html>',
  '<!doctype html>\n<!-- build 42 -->\n<HTML LANG=en data-x="a>b"><HEAD>\n<META CHARSET=UTF-8 />\n<title>Ünïcode ✓</title></HEAD><body>·</body></HTML>',
  "<!DOCTYPE html><html class='no-js'><head><!-- c --><meta name=viewport content='width=device-width'><meta charset=utf-8></head></html>",
  '<html>\r\n<head>\r\n<script nonce="x">1<2</script></head></html>',
  '<html><head><link rel=stylesheet href=/a.css /><base href="/"></head></html>',
  '<body class="home">x</body>',
  '<head><style>p{}</style></head>',
  '<html><head><title>t',
  `<html><head><title>t</title></head><body>${'é'.repeat(3000)}</body></html>`,
]

/** Pages the scanner leaves to HTMLRewriter: the output must still be the same. */
const UNUSUAL = [
  '<p>a bare fragment</p>',
  '',
  'plain text < not a tag',
  '\ufeff<html><head><title>bom</title></head></html>',
  '<html><!--> abrupt --><head><title>x</title></head></html>',
  '<html><!-- a --!> b --><head><title>x</title></head></html>',
  '<?xml version="1.0"?><html><head><title>x</title></head></html>',
  '<html><svg><head></head></svg><body></body></html>',
  '<html><head><noscript><p>x</p></noscript></head></html>',
  '<html><head><meta http-equiv="content&#45;type" content="x"><title>t</title></head></html>',
  '<html><head><meta http-equiv=content-type http-equiv=refresh><title>t</title></head></html>',
  '<html><head a"b=1><title>t</title></head></html>',
  '<html><head/><title>t</title></html>',
  '<html><head></head foo><body></body></html>',
  `<!-- ${'x'.repeat(SCAN_LIMIT + 100)} --><html><head><title>late</title></head></html>`,
]

/** A response whose body arrives in the given pieces. */
function chunked(bytes: Uint8Array, cuts: number[], headers: HeadersInit = { 'content-type': 'text/html; charset=utf-8' }): Response {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const pieces: Uint8Array[] = []
  let from = 0
  for (const p of [...points, bytes.length]) {
    if (p > from) pieces.push(bytes.slice(from, p))
    from = Math.max(from, p)
  }
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]!)
      else controller.close()
    },
  })
  return new Response(body, { headers })
}

async function bytesOf(response: Response): Promise<string> {
  return Array.from(new Uint8Array(await response.arrayBuffer()), (b) => b.toString(16).padStart(2, '0')).join('')
}

async function sameAsRewriter(page: Uint8Array, cuts: number[], headers?: HeadersInit): Promise<void> {
  const fast = injectIntoHtml(chunked(page, cuts, headers), data)
  const reference = chunked(page, cuts, headers)
  const tags = injectedTags(data, cspNonce(reference.headers.get('content-security-policy')))
  expect(await bytesOf(fast)).toBe(await bytesOf(rewriteIntoHtml(reference, tags)))
}

const cuts = fc.array(fc.nat({ max: 20_000 }), { maxLength: 12 })

describe('streaming injector', () => {
  it('should find the place of the tags in the first bytes of the pages sites send', () => {
    for (const page of COMMON) expect(typeof injectionPoint(encoder.encode(page)), page).toBe('number')
  })

  it('should leave pages it does not model to HTMLRewriter', () => {
    // (The last page is modelled, but its head lies beyond SCAN_LIMIT: the stream hands it over unscanned.)
    for (const page of UNUSUAL.slice(0, -1)) expect(typeof injectionPoint(encoder.encode(page)), page).not.toBe('number')
  })

  it('should give the same bytes as HTMLRewriter for any chunking of real pages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMON, ...UNUSUAL), cuts, async (page, at) => sameAsRewriter(encoder.encode(page), at)),
      { seed: 42, numRuns: RUNS * 4 },
    )
  })

  it('should give the same bytes as HTMLRewriter for generated page starts', async () => {
    const space = fc.constantFrom('', ' ', '\n', '\r\n  ', '\t')
    const attr = fc.constantFrom('', ' lang=en', ' class="a>b"', " data-x='y'", ' hidden', ' a=b c', ' x = "1"', ' a"b', ' =x', ' a=`b`')
    const start = fc.constantFrom('', '<!doctype html>', '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN">', '<!-- hi -->', '<!---->', '<!-->', '\ufeff', 'text')
    const first = fc.constantFrom('', '<meta charset="utf-8">', '<META CHARSET=utf-8/>', '<meta http-equiv="Content-Type" content="text/html">', '<meta name="viewport" content="x">', '<title>t</title>', '<script>var a="<head>"</script>', '<link rel=icon href=/f.ico>', '<div>x</div>', '<!-- c -->', '</head>')
    const page = fc
      .tuple(start, space, fc.boolean(), attr, space, fc.constantFrom('head', 'HEAD', 'body', 'p'), attr, fc.boolean(), space, first, space, fc.constantFrom('</head><body>x</body></html>', '<body>y</body>', ''))
      .map(([s, w1, html, a1, w2, tag, a2, selfClose, w3, f, w4, end]) => `${s}${w1}${html ? `<html${a1}>` : ''}${w2}<${tag}${a2}${selfClose ? '/' : ''}>${w3}${f}${w4}${end}`)
    await fc.assert(
      fc.asyncProperty(page, cuts, async (p, at) => sameAsRewriter(encoder.encode(p), at)),
      { seed: 42, numRuns: RUNS * 4 },
    )
  })

  it('should keep the page CSP nonce and handle legacy charsets like HTMLRewriter', async () => {
    const page = encoder.encode('<html><head><meta charset="windows-1252"><title>t</title></head><body>\u00e9</body></html>')
    const cases: Record<string, string>[] = [
      { 'content-type': 'text/html; charset=windows-1252', 'content-security-policy': "script-src 'nonce-r4nd0m'" },
      { 'content-type': 'text/html; charset="ISO-8859-1"' },
      { 'content-type': 'text/html' },
    ]
    for (const headers of cases) {
      await sameAsRewriter(page, [7, 30], headers)
    }
    const withNonce = await injectIntoHtml(chunked(page, [], { 'content-type': 'text/html', 'content-security-policy': "script-src 'nonce-r4nd0m'" }), data).text()
    expect(withNonce).toContain('<meta charset="windows-1252"><script nonce="r4nd0m">window.edgesplit=')
  })
})

describe('whole-page injector', () => {
  /** The page answered with its Content-Length (and any other headers), in the given pieces. */
  const sized = (page: Uint8Array, cuts: number[], headers: Record<string, string> = {}) =>
    chunked(page, cuts, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(page.length), ...headers })

  async function sameAsRewriterWhole(page: Uint8Array, cuts: number[], headers?: Record<string, string>): Promise<void> {
    const whole = await injectIntoPage(sized(page, cuts, headers), data)
    const reference = sized(page, cuts, headers)
    const tags = injectedTags(data, cspNonce(reference.headers.get('content-security-policy')))
    expect(await bytesOf(whole)).toBe(await bytesOf(rewriteIntoHtml(reference, tags)))
  }

  it('should give the same bytes as HTMLRewriter for small pages of known length, read whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMON, ...UNUSUAL), cuts, async (page, at) => sameAsRewriterWhole(encoder.encode(page), at)),
      { seed: 42, numRuns: RUNS },
    )
  })

  it('should stream pages that are large, compressed or of a legacy charset, with the same bytes', async () => {
    const large = encoder.encode(`<html><head><title>t</title></head><body>${'x'.repeat(SMALL_PAGE)}</body></html>`)
    await sameAsRewriterWhole(large, [100, 5000])
    const page = encoder.encode('<html><head><meta charset="windows-1252"><title>t</title></head><body>\u00e9</body></html>')
    await sameAsRewriterWhole(page, [7], { 'content-encoding': 'gzip' })
    await sameAsRewriterWhole(page, [7], { 'content-type': 'text/html; charset=windows-1252', 'content-security-policy': "script-src 'nonce-r4nd0m'" })
    const withNonce = await (await injectIntoPage(sized(page, [], { 'content-type': 'text/html', 'content-security-policy': "script-src 'nonce-r4nd0m'" }), data)).text()
    expect(withNonce).toContain('<meta charset="windows-1252"><script nonce="r4nd0m">window.edgesplit=')
  })
})
