/**
 * Where the injected tags go in the first bytes of an HTML page, found without an HTML parser: the
 * byte offset where HTMLRewriter's rules in inject.ts would put them (after a charset `<meta>` that
 * is the head's first element, else before the head's first element, before `</head>` of an empty
 * head, or just inside `<body>` when there is no head), `'more'` when the bytes so far end before
 * that point, or `'fallback'` when the page starts with anything this scanner does not model
 * exactly (text, unusual tags, bogus comments, `</head` with attributes, a byte-order mark…):
 * then HTMLRewriter decides. The tokenizing follows the HTML standard's tokenizer states for
 * comments, DOCTYPE and tags (https://html.spec.whatwg.org/multipage/parsing.html#tokenization),
 * on bytes, which is exact for the ASCII structure of any ASCII-compatible encoding.
 * @example injectionPoint(new TextEncoder().encode('<html><head><title>')) // 12
 */
export function injectionPoint(b: Uint8Array): number | 'more' | 'fallback' {
  const n = b.length
  let inHead = false
  let i = 0
  for (;;) {
    // Whitespace between tags is the only text modelled (HTML's ASCII whitespace).
    while (i < n && isSpace(b[i]!)) i++
    if (i >= n) return 'more'
    if (b[i] !== LT) return 'fallback'
    if (i + 1 >= n) return 'more'
    const next = b[i + 1]!
    if (next === BANG) {
      const end = skipMarkup(b, i, !inHead)
      if (typeof end !== 'number') return end
      i = end
      continue
    }
    if (next === SLASH) {
      // Only `</head>` (optionally `</head  >`) of an empty head; any other end tag here is unusual.
      if (!inHead) return 'fallback'
      if (i + 6 >= n) return 'more'
      if (asciiLower(b, i + 2, i + 6) !== 'head') return 'fallback'
      let j = i + 6
      while (j < n && isSpace(b[j]!)) j++
      if (j >= n) return 'more'
      return b[j] === GT ? i : 'fallback'
    }
    if (!isAlpha(next)) return 'fallback'
    const tag = readStartTag(b, i)
    if (typeof tag !== 'object') return tag
    if (tag.selfClosing && tag.name !== 'meta' && tag.name !== 'link' && tag.name !== 'base') return 'fallback'
    if (!inHead) {
      if (tag.name === 'html') i = tag.end
      else if (tag.name === 'head') (inHead = true), (i = tag.end)
      else if (tag.name === 'body') return tag.end
      else return 'fallback'
      continue
    }
    // The head's first element: after it when it declares the charset, else before it.
    if (tag.name === 'meta') return tag.charset ? tag.end : i
    return HEAD_CHILDREN.has(tag.name) ? i : 'fallback'
  }
}

const LT = 0x3c
const GT = 0x3e
const BANG = 0x21
const SLASH = 0x2f
const EQ = 0x3d
const DQ = 0x22
const SQ = 0x27
const DASH = 0x2d

/** Elements a head commonly starts with; anything else is left to HTMLRewriter. */
const HEAD_CHILDREN = new Set(['meta', 'title', 'link', 'script', 'style', 'base'])

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c
}

function indexOf(b: Uint8Array, word: string, from: number): number {
  const first = word.charCodeAt(0)
  outer: for (let i = b.indexOf(first, from); i >= 0 && i + word.length <= b.length; i = b.indexOf(first, i + 1)) {
    for (let k = 1; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) continue outer
    return i
  }
  return -1
}

/** A `<!--…-->` comment, or (before the head) a `<!DOCTYPE …>` without quoted parts: the offset after it. */
function skipMarkup(b: Uint8Array, i: number, doctypeAllowed: boolean): number | 'more' | 'fallback' {
  const n = b.length
  if (i + 4 > n) return 'more'
  if (b[i + 2] === DASH && b[i + 3] === DASH) {
    if (i + 6 > n) return 'more'
    // `<!-->` and `<!--->` end at once (abrupt closing of an empty comment): left to HTMLRewriter.
    if (b[i + 4] === GT || (b[i + 4] === DASH && b[i + 5] === GT)) return 'fallback'
    const close = indexOf(b, '-->', i + 4)
    // `--!>` also ends a comment; `<!--` inside one is a parse error: both left to HTMLRewriter.
    const bang = indexOf(b, '--!>', i + 4)
    const nested = indexOf(b, '<!--', i + 4)
    if (close < 0) return bang >= 0 || nested >= 0 ? 'fallback' : 'more'
    if ((bang >= 0 && bang < close) || (nested >= 0 && nested < close)) return 'fallback'
    return close + 3
  }
  if (!doctypeAllowed) return 'fallback'
  if (i + 9 > n) return 'more'
  if (asciiLower(b, i + 2, i + 9) !== 'doctype') return 'fallback'
  for (let j = i + 9; j < n; j++) {
    const c = b[j]!
    if (c === GT) return j + 1
    if (c === DQ || c === SQ || c === LT) return 'fallback'
  }
  return 'more'
}

type StartTag = { name: string; end: number; selfClosing: boolean; charset: boolean }

/**
 * A start tag at `i` (`<` then a letter): its lower-case name, the offset after its `>`, and
 * whether it is a charset declaration (`charset`, or `http-equiv="content-type"`). Attributes are
 * read as the tokenizer reads them; anything that is a parse error there is left to HTMLRewriter.
 */
function readStartTag(b: Uint8Array, i: number): StartTag | 'more' | 'fallback' {
  const n = b.length
  let j = i + 1
  while (j < n && !isSpace(b[j]!) && b[j] !== SLASH && b[j] !== GT) j++
  if (j >= n) return 'more'
  let name = ''
  for (let k = i + 1; k < j; k++) {
    const c = b[k]!
    if (c >= 0x80 || c === 0 || c === LT) return 'fallback'
    name += String.fromCharCode(lower(c))
  }
  const meta = name === 'meta'
  let charset = false
  let httpEquiv = false
  let selfClosing = false
  for (;;) {
    while (j < n && isSpace(b[j]!)) j++
    if (j >= n) return 'more'
    const c = b[j]!
    if (c === GT) return { name, end: j + 1, selfClosing, charset }
    if (c === SLASH) {
      if (j + 1 >= n) return 'more'
      if (b[j + 1] !== GT) return 'fallback'
      selfClosing = true
      j++
      continue
    }
    if (selfClosing) return 'fallback'
    // An attribute name: up to whitespace, `/`, `>` or `=`.
    const start = j
    while (j < n && !isSpace(b[j]!) && b[j] !== SLASH && b[j] !== GT && b[j] !== EQ) {
      const a = b[j]!
      if (a === DQ || a === SQ || a === LT || a === 0) return 'fallback'
      j++
    }
    if (j >= n) return 'more'
    if (j === start) return 'fallback' // `=` where a name should start
    const attr = meta ? asciiLower(b, start, j) : ''
    let k = j
    while (k < n && isSpace(b[k]!)) k++
    if (k >= n) return 'more'
    if (b[k] !== EQ) {
      if (attr === 'charset') charset = true
      j = k
      continue
    }
    k++
    while (k < n && isSpace(b[k]!)) k++
    if (k >= n) return 'more'
    let valueStart: number
    let valueEnd: number
    const q = b[k]!
    if (q === DQ || q === SQ) {
      valueStart = k + 1
      valueEnd = b.indexOf(q, valueStart)
      if (valueEnd < 0) return 'more'
      j = valueEnd + 1
      // After a quoted value the tokenizer wants whitespace, `/` or `>`.
      if (j >= n) return 'more'
      if (!isSpace(b[j]!) && b[j] !== SLASH && b[j] !== GT) return 'fallback'
    } else {
      if (q === GT) return 'fallback' // `name=>`: a missing value
      valueStart = k
      while (k < n && !isSpace(b[k]!) && b[k] !== GT) {
        const a = b[k]!
        if (a === DQ || a === SQ || a === LT || a === EQ || a === 0x60 || a === 0) return 'fallback'
        k++
      }
      if (k >= n) return 'more'
      valueEnd = k
      j = k
    }
    if (attr === 'charset') charset = true
    else if (attr === 'http-equiv') {
      // A repeated attribute is dropped by the tokenizer (the first counts): left to HTMLRewriter.
      if (httpEquiv) return 'fallback'
      httpEquiv = true
      const value = asciiLower(b, valueStart, valueEnd)
      if (value.includes('&')) return 'fallback' // a character reference: HTMLRewriter's reading decides
      if (value === 'content-type') charset = true
    }
  }
}

function asciiLower(b: Uint8Array, from: number, to: number): string {
  let s = ''
  for (let k = from; k < to; k++) s += String.fromCharCode(lower(b[k]!))
  return s
}
