import type { StickyRecord } from '../core/assign'

/**
 * The signed assignment cookie: `key=variant@epoch~tag!|….<signature>`, where each item is the unit's
 * sticky record for one experiment (the variant and the epoch it was first assigned in), `tag` names
 * the experiment instance it belongs to (`instanceTag`; absent for experiments stored before
 * instances had ids), a final `!` says the counter store acknowledged the unit's exposure in that
 * epoch (so the site writes it no more: docs/scale.md), and the signature is HMAC-SHA-256 (Web Crypto) over the unit id and the items,
 * base64url. Binding the unit means a cookie copied from another visitor, or edited, fails
 * verification and is ignored; the tag means a record of a deleted experiment never carries over to
 * a new experiment created under the same key.
 */
export type AssignmentItems = Record<string, StickyRecord & { instance?: string; acked?: boolean }>

/** The short name of an experiment instance in a cookie item: the first 8 characters of its id. */
export function instanceTag(e: { id?: string }): string | undefined {
  return e.id?.slice(0, 8)
}

/** Cookies larger than this are trimmed (browsers cap a cookie at 4096 bytes). */
const MAX_PAYLOAD = 3000
const ITEM = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})=([A-Za-z0-9][A-Za-z0-9_.-]{0,63})@(\d{1,6})(?:~([A-Za-z0-9-]{1,8}))?(!)?$/
const encoder = new TextEncoder()
const keys = new Map<string, Promise<CryptoKey>>()

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    // Importing costs more than signing; one key per secret per isolate.
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    keys.set(secret, key)
  }
  return key
}

/** The items as a stable string (sorted by experiment), trimmed to fit in a cookie. */
export function encodeItems(items: AssignmentItems): string {
  let out = ''
  for (const key of Object.keys(items).sort()) {
    const { variant, epoch, instance, acked } = items[key]!
    const item = `${key}=${variant}@${epoch}${instance ? `~${instance}` : ''}${acked ? '!' : ''}`
    if (out.length + item.length + 1 > MAX_PAYLOAD) break
    out = out ? `${out}|${item}` : item
  }
  return out
}

/** Signs the items for one unit: the cookie's value. */
export async function signItems(payload: string, unit: string, secret: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(`${unit}\n${payload}`))
  return `${payload}.${toBase64Url(new Uint8Array(signature))}`
}

/**
 * Verifies a cookie value for one unit; the items when the signature holds, else null (a tampered,
 * foreign or malformed cookie is ignored, never an error).
 */
export async function verifyItems(value: string | undefined, unit: string, secret: string): Promise<{ payload: string; items: AssignmentItems } | null> {
  if (!value || value.length > MAX_PAYLOAD + 64) return null
  const dot = value.lastIndexOf('.')
  if (dot < 0) return null
  const payload = value.slice(0, dot)
  const signature = fromBase64Url(value.slice(dot + 1))
  if (!signature || signature.length !== 32) return null
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(secret), signature, encoder.encode(`${unit}\n${payload}`))
  if (!ok) return null
  const items: AssignmentItems = {}
  for (const part of payload ? payload.split('|') : []) {
    const m = ITEM.exec(part)
    if (!m) return null
    const item: AssignmentItems[string] = { variant: m[2]!, epoch: Number(m[3]) }
    if (m[4]) item.instance = m[4]
    if (m[5]) item.acked = true
    items[m[1]!] = item
  }
  return { payload, items }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Base64url without padding (RFC 4648 §5), by table (btoa over a spread of the bytes and three regex replaces showed in the site profile). */
function toBase64Url(bytes: Uint8Array): string {
  let out = ''
  let v = 0
  let bits = 0
  for (const b of bytes) {
    v = ((v << 8) | b) & 0xffff
    bits += 8
    while (bits >= 6) out += ALPHABET[(v >> (bits -= 6)) & 63]!
  }
  // The last character carries the remaining bits, zero-padded on the right.
  return bits ? out + ALPHABET[(v << (6 - bits)) & 63]! : out
}

/**
 * The 32 bytes of a 43-character base64url signature, or null when it is not one. The last
 * character's two spare bits are ignored, as atob (forgiving-base64) ignores them.
 */
function fromBase64Url(text: string): Uint8Array | null {
  if (text.length !== 43) return null
  const out = new Uint8Array(32)
  let o = 0
  let v = 0
  let bits = 0
  for (let i = 0; i < 43; i++) {
    const d = ALPHABET.indexOf(text[i]!)
    if (d < 0) return null
    v = ((v << 6) | d) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (v >> bits) & 0xff
    }
  }
  return out
}
