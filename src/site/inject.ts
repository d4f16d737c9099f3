import { TRACK_URL } from './track-script'

/** What the page learns: `window.edgesplit = { unit, assignments: { experiment: variant }, flags?: { flag: value } }`. */
export type PageData = { unit: string; assignments: Record<string, string>; flags?: Record<string, unknown> }

/** JSON that is safe inside an inline <script> (no `</script>`, no HTML comment, no JS line breaks). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
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
 * Streams an HTML response through HTMLRewriter, adding the tags as the first thing in <head>
 * (after a charset declaration, which must stay within the first 1024 bytes), else at the start of
 * <body>, else at the end of a bare fragment. Nothing is buffered: chunks flow as they come.
 */
export function injectIntoHtml(response: Response, data: PageData): Response {
  const tags = injectedTags(data, cspNonce(response.headers.get('content-security-policy')))
  let done = false
  const once = (insert: () => void) => {
    if (done) return
    done = true
    insert()
  }
  return new HTMLRewriter()
    .on('head > :first-child', {
      element(el) {
        once(() => (isCharset(el) ? el.after(tags, { html: true }) : el.before(tags, { html: true })))
      },
    })
    .on('head', {
      element(el) {
        // An empty <head>: the tags go just before it closes.
        el.onEndTag((end) => once(() => end.before(tags, { html: true })))
      },
    })
    .on('body', { element: (el) => once(() => el.prepend(tags, { html: true })) })
    .onDocument({ end: (end) => once(() => end.append(tags, { html: true })) })
    .transform(response)
}

function isCharset(el: Element): boolean {
  if (el.tagName !== 'meta') return false
  return el.hasAttribute('charset') || (el.getAttribute('http-equiv') ?? '').toLowerCase() === 'content-type'
}
