/** Click probability per variant, per experiment: `{ moon_mars: { Moon: 0.1, Mars: 0.2 } }`. */
export type ClickProbs = Record<string, Record<string, number>>

/**
 * Parses `--probs` specs, `experiment:Variant=p,Variant=p`, several joined by `;` or given as
 * separate arguments (the legacy demo site's CLICK_PROBS = {'Moon': 0.1, 'Mars': 0.2}, docs/compatibility.md,
 * is `moon_mars:Moon=0.1,Mars=0.2`).
 * Throws an Error naming the bad part, so the CLI can print it.
 * @example parseProbs(['moon_mars:Moon=0.1,Mars=0.2']) // { moon_mars: { Moon: 0.1, Mars: 0.2 } }
 */
export function parseProbs(specs: readonly string[]): ClickProbs {
  const out: ClickProbs = {}
  for (const spec of specs.flatMap((s) => s.split(';')).map((s) => s.trim()).filter(Boolean)) {
    const colon = spec.indexOf(':')
    if (colon <= 0) throw new Error(`--probs: expected "experiment:Variant=p,Variant=p", got "${spec}"`)
    const experiment = spec.slice(0, colon).trim()
    const variants: Record<string, number> = {}
    for (const pair of spec.slice(colon + 1).split(',').map((s) => s.trim()).filter(Boolean)) {
      const eq = pair.indexOf('=')
      const variant = pair.slice(0, eq).trim()
      const p = Number(pair.slice(eq + 1))
      if (eq <= 0 || pair.slice(eq + 1).trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
        throw new Error(`--probs: "${pair}" in "${spec}" must be Variant=p with p in [0, 1]`)
      }
      variants[variant] = p
    }
    if (Object.keys(variants).length === 0) throw new Error(`--probs: "${spec}" names no variant`)
    out[experiment] = { ...out[experiment], ...variants }
  }
  return out
}
