/**
 * The query of a request URL as [name, value] pairs, exactly as `new URL(url).searchParams` lists
 * them (WHATWG URL, application/x-www-form-urlencoded parsing), without building a URL and a
 * URLSearchParams per request: the common query (no `%`, no `+`) is split in JS; a component with
 * an escape is decoded with decodeURIComponent, and a malformed escape (which the standard decodes
 * leniently, decodeURIComponent not at all) hands the whole URL to `new URL(url).searchParams`.
 * @example queryEntries('https://x.test/v1/assign?unit=u1&attr.plan=pro') // [['unit', 'u1'], ['attr.plan', 'pro']]
 */
export function queryEntries(url: string): [string, string][] {
  const start = url.indexOf('?')
  if (start < 0) return []
  const hash = url.indexOf('#', start)
  const query = url.slice(start + 1, hash < 0 ? url.length : hash)
  const entries: [string, string][] = []
  for (const part of query.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const name = decode(eq < 0 ? part : part.slice(0, eq))
    const value = eq < 0 ? '' : decode(part.slice(eq + 1))
    if (name === null || value === null) return [...new URL(url).searchParams]
    entries.push([name, value])
  }
  return entries
}

/** One form-urlencoded component, or null when its escapes are malformed (URLSearchParams then decides). */
function decode(text: string): string | null {
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return null
  }
}
