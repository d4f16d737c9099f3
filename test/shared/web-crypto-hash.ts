/**
 * The hash spec (docs/design.md, "Hashing") computed with Web Crypto's SHA-256: the reference the
 * synchronous src/core/hash.ts and src/core/sha256.ts are tested against.
 */
export async function webCryptoUnitInterval(unit: string, salt: string): Promise<number> {
  const view = new DataView(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${unit}:${salt}`)))
  return view.getUint32(0) * 2 ** -32 + view.getUint32(4) * 2 ** -64
}

/** Web Crypto's SHA-256 of the UTF-8 encoding of `text`, as lower-case hex. */
export async function webCryptoSha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('')
}
