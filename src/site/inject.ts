import { injectionPoint } from './head-scan'
import { TRACK_URL } from './track-script'

/** What the page learns: `window.edgesplit = { unit, assignments: { experiment: variant }, flags?: { flag: value } }`. */
export type PageData = { unit: string; assignments: Record<string, string>; flags?: Record<string, unknown> }

/** JSON that is safe inside an inline <script> (no `</script>`, no HTML comment, no JS line breaks). */
export function scriptJson(value: unknown): string {
  // One pass: `<`, `>`, U+2028 and U+2029 as \u escapes (same JSON value, safe in a script).
  return JSON.stringify(value).replace(/[<>\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The nonce of a `Content-Security-Policy` whose scripts need one, so our tags carry it too. */
export function cspNonce(csp: string | null): string | undefined {
  if (!csp) return undefined
  const m = /'nonce-([A-Za-z0-9+/_=-]+)'/.exec(csp)
  return m?.[1]
}

/** The tags added to the page: the data first (page scripts can read it), then the tracker. */
export function injectedTags(data: PageData, nonce: string | undefined): string {
  const n = nonce ? ` nonce="${nonce}"` : ''
  return `<script${n}>window.edgesplit=${scriptJson(data)};</script><script${n} src="${TRACK_URL}" defer></script>`
}

/**
 * Adds the tags to an HTML response as it streams: the first bytes are scanned for the place
 * HTMLRewriter would choose (head-scan.ts), the tags are spliced in there, and the rest of the
 * body passes through unparsed. Pages the scan does not model, whose insertion point is not within
 * the first SCAN_LIMIT bytes, or whose charset is not ASCII-compatible go through HTMLRewriter
 * (`rewriteIntoHtml`), the same rules by a real parser; either way the output is the same.
 */
export function injectIntoHtml(response: Response, data: PageData): Response {
  const tags = injectedTags(data, cspNonce(response.headers.get('content-security-policy')))
  const body = response.body
  if (!body || !scannable(response.headers.get('content-type'), tags)) return rewriteIntoHtml(response, tags)
  // A native pipe: after the first chunks, the origin's body flows to the visitor without JS.
  const { readable, writable } = new IdentityTransformStream()
  splice(body, writable, response, tags).catch((error: unknown) => {
    // The visitor went away or the origin broke off: the response stream carries the error.
    console.warn(`site: streaming the page failed: ${(error as Error)?.message ?? error}`)
  })
  return new Response(readable, response)
}

/**
 * Adds the tags to an HTML response: a page whose Content-Length says it is small (and not
 * compressed, so the length bounds what is read) is read whole and answered from its bytes, with the
 * tags spliced in, in one Response without a stream pipe (the pipe showed in the site profile);
 * any other page streams through injectIntoHtml. Both give the same bytes.
 */
export async function injectIntoPage(response: Response, data: PageData): Promise<Response> {
  const headers = response.headers
  if (!(Number(headers.get('content-length') ?? NaN) <= SMALL_PAGE) || headers.has('content-encoding')) return injectIntoHtml(response, data)
  const tags = injectedTags(data, cspNonce(headers.get('content-security-policy')))
  const page = new Uint8Array(await response.arrayBuffer())
  const at = scannable(headers.get('content-type'), tags) ? injectionPoint(page) : 'fallback'
  return typeof at === 'number' ? new Response(insert(page, at, encoder.encode(tags)), response) : rewriteIntoHtml(new Response(page, response), tags)
}

/** The page's bytes with `bytes` inserted at `at` (at the end: the two joined). */
function insert(page: Uint8Array, at: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(page.length + bytes.length)
  out.set(page.subarray(0, at))
  out.set(bytes, at)
  out.set(page.subarray(at), at + bytes.length)
  return out
}

/**
 * Writes the page into `out`: the first bytes up to the tags' place, the tags, then a pipe of the
 * rest; or, when the scan leaves the page to HTMLRewriter, its output from the page's start.
 */
async function splice(body: ReadableStream<Uint8Array>, out: WritableStream, response: Response, tags: string): Promise<void> {
  const reader = body.getReader()
  let held: Uint8Array | null = null
  for (;;) {
    const { done, value } = await reader.read()
    if (!done) held = held ? insert(held, held.length, value) : value
    const at = held ? injectionPoint(held) : 'more'
    if (typeof at === 'number') {
      const first = insert(held!, at, encoder.encode(tags))
      const writer = out.getWriter()
      // Not awaited: the write completes only as the visitor reads, and the pipe queues behind it.
      const written = writer.write(first)
      writer.releaseLock()
      reader.releaseLock()
      await Promise.all([written, done ? out.close() : body.pipeTo(out)])
      return
    }
    if (at === 'fallback' || done || held!.length > SCAN_LIMIT) {
      // HTMLRewriter takes the page from its start: what was read, then the rest of the origin's body.
      const rewritten = rewriteIntoHtml(new Response(replay(held, reader), response), tags)
      return copy(rewritten.body, out)
    }
  }
}

/** The largest page (bytes, by its Content-Length) injectIntoPage reads whole rather than streams. */
export const SMALL_PAGE = 32_768

/** How far into the page the fast path looks for its place before handing the page to HTMLRewriter. */
export const SCAN_LIMIT = 8192

const encoder = new TextEncoder()

/**
 * Whether the page's bytes can be scanned and spliced as they are: its charset (Content-Type) is
 * ASCII-compatible, so tags and markup are the same bytes as in ASCII, and the tags are ASCII or
 * the page is UTF-8. Others (UTF-16, ISO-2022-JP, a non-ASCII tag in a legacy charset) go
 * through HTMLRewriter, which encodes the tags in the page's charset.
 */
function scannable(contentType: string | null, tags: string): boolean {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')
  const charset = m ? m[1]!.toLowerCase() : null
  if (charset === null || charset === 'utf-8' || charset === 'utf8') return true
  return ASCII_COMPATIBLE.has(charset) && /^[\x00-\x7f]*$/.test(tags)
}

const ASCII_COMPATIBLE = new Set(['us-ascii', 'ascii', 'iso-8859-1', 'latin1', 'windows-1252', 'iso-8859-15'])

/** Copies a stream chunk by chunk (workerd cannot pipe HTMLRewriter's output into another transform). */
async function copy(from: ReadableStream<Uint8Array> | null, out: WritableStream): Promise<void> {
  const writer = out.getWriter()
  if (from) {
    const reader = from.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      await writer.write(value)
    }
  }
  await writer.close()
}

/** The bytes already read, then the rest of the reader's stream. */
function replay(held: Uint8Array | null, rest: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (held) controller.enqueue(held)
    },
    async pull(controller) {
      const { done, value } = await rest.read()
      if (done) controller.close()
      else controller.enqueue(value)
    },
    cancel(reason) {
      return rest.cancel(reason)
    },
  })
}

/**
 * Streams an HTML response through HTMLRewriter, adding the tags as the first thing in <head>
 * (after a charset declaration, which must stay within the first 1024 bytes), else at the start of
 * <body>, else at the end of a bare fragment. Nothing is buffered: chunks flow as they come. This
 * is the reference the fast path in injectIntoHtml agrees with, and its fallback.
 */
export function rewriteIntoHtml(response: Response, tags: string): Response {
  let done = false
  const once = (insert: () => void) => {
    if (done) return
    done = true
    insert()
  }
  return new HTMLRewriter()
    .on('head > :first-child', {
      element(el) {
        once(() => (isCharset(el) ? el.after(tags, HTML) : el.before(tags, HTML)))
      },
    })
    .on('head', {
      element(el) {
        // An empty <head>: the tags go just before it closes.
        el.onEndTag((end) => once(() => end.before(tags, HTML)))
      },
    })
    .on('body', { element: (el) => once(() => el.prepend(tags, HTML)) })
    .onDocument({ end: (end) => once(() => end.append(tags, HTML)) })
    .transform(response)
}

const HTML = { html: true }

function isCharset(el: Element): boolean {
  if (el.tagName !== 'meta') return false
  return el.hasAttribute('charset') || (el.getAttribute('http-equiv') ?? '').toLowerCase() === 'content-type'
}
