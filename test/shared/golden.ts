import { bucketRanges, chooseRange } from '../../src/core/bucket'
import { hashToUnitInterval } from '../../src/core/hash'
import vectors from '../fixtures/hash-vectors.json'

type Vector = { unit: string; salt: string; prefixHex: string; u: number; assignments: (number | null)[] }

/** The golden vectors of tools/fixtures/hash_vectors.py, as (name, vector) rows for it.each. */
export const GOLDEN: [string, Vector][] = (vectors.vectors as Vector[]).map((v) => [`${JSON.stringify(v.unit).slice(0, 40)} : ${JSON.stringify(v.salt)}`, v])

/** Recomputes one vector with edgesplit's code: the hash and every variant index. */
export async function recompute(v: Vector): Promise<{ u: number; prefixHex: string; assignments: (number | null)[] }> {
  const u = await hashToUnitInterval(v.unit, v.salt)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${v.unit}:${v.salt}`)))
  const prefixHex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('')
  const assignments = vectors.cases.map((c) => {
    const i = chooseRange(u, bucketRanges(c.weights, c.coverage))
    return i < 0 ? null : i
  })
  return { u, prefixHex, assignments }
}
