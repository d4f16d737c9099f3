/**
 * QA overrides (docs/design.md, "Order of checks and reasons"): `?edgesplit=<key>:<variant>[,<key>:<variant>…]` forces
 * variants and a session cookie remembers them; `?edgesplit=off` clears them. Only experiments that
 * allow QA overrides honour them (checked by the core), and forced units are never counted.
 */
export type QaOverrides = { forced: Record<string, string> | undefined; cookie: string | null | undefined }

const PAIR = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63}):([A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/
const MAX_PAIRS = 20

/**
 * The overrides in force for a request, and the cookie to write: a value to set, `null` to clear,
 * undefined to leave it as it is.
 * @example qaOverrides(new URL('https://x.test/?edgesplit=moon_mars:Mars'), undefined).forced // { moon_mars: 'Mars' }
 */
export function qaOverrides(url: URL, cookie: string | undefined): QaOverrides {
  const query = url.searchParams.get('edgesplit')
  if (query === null) return { forced: parsePairs(cookie, '|'), cookie: undefined }
  const forced = query === 'off' || query === '' ? undefined : parsePairs(query, ',')
  if (!forced) return { forced: undefined, cookie: cookie === undefined ? undefined : null }
  return { forced, cookie: Object.entries(forced).map(([k, v]) => `${k}:${v}`).join('|') }
}

function parsePairs(text: string | undefined, separator: string): Record<string, string> | undefined {
  if (!text) return undefined
  const out: Record<string, string> = {}
  let n = 0
  for (const part of text.split(separator)) {
    const m = PAIR.exec(part.trim())
    if (m && n++ < MAX_PAIRS) out[m[1]!] = m[2]!
  }
  return n ? out : undefined
}
