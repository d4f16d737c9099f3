/**
 * Last line of the degenerate-input policy: replaces any non-finite number left in a result (only
 * reachable through overflow with extreme inputs, e.g. n = 1e300) by null — an array holding one
 * becomes null as a whole — and records which fields in `reason`, so a result can always be sent as JSON.
 * @example jsonSafe({ reason: null, z: Infinity }) // { reason: 'numeric overflow in: z', z: null }
 */
export function jsonSafe<T extends { reason: string | null }>(result: T): T {
  // Fast path (the usual case): nothing to replace, so the result itself is returned, as below, without building a copy.
  if (allFinite(result)) return result
  const bad: string[] = []
  const clean = (v: unknown, path: string): unknown => {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v
      bad.push(path)
      return null
    }
    if (Array.isArray(v)) {
      const before = bad.length
      const out = v.map((x, i) => clean(x, `${path}[${i}]`))
      if (bad.length > before) {
        bad.splice(before, bad.length - before, path)
        return null
      }
      return out
    }
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = clean(x, path === '' ? k : `${path}.${k}`)
      return out
    }
    return v
  }
  const out = clean(result, '') as T
  if (bad.length === 0) return result
  const note = `numeric overflow in: ${bad.join(', ')}`
  return { ...out, reason: out.reason === null ? note : `${out.reason}; ${note}` }
}

/** Whether every number in `v` (nested arrays and objects included) is finite; allocates nothing. */
function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v)
  if (v === null || typeof v !== 'object') return true
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!allFinite(v[i])) return false
    return true
  }
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && !allFinite((v as Record<string, unknown>)[k])) return false
  return true
}
