import { chiSquareSf } from '../../src/stats'
import type { ClickProbs } from './parse-probs'
import type { Visit } from './run-visits'

/** What the report needs to know of an experiment's configuration (from GET /v1/experiments). */
export type ConfiguredExperiment = {
  key: string
  title: string
  state: string
  variants: { key: string; weight: number }[]
  coverage: number
  fallback?: string
  control?: string
  rolloutVariant: string | null
  allocation?: { type: string } | null
}

const Z95 = 1.959963984540054

/**
 * The legacy demo site's simulate_visits.py report (docs/compatibility.md) over the simulated
 * visits: per experiment the split against the expected one ("Exact", from the configured weights,
 * coverage and state), conversion per variant with a 95% Wald interval against the exact rate
 * implied by the click probabilities, and for each pair of experiments the joint split against the product of the expected shares, with Pearson's
 * χ² test of independence (experiments are hashed with their own salts, so independent:
 * docs/design.md, "Hashing").
 * @example visitReport(visits, configured, { moon_mars: { Moon: 0.1, Mars: 0.2 } }).join('\n')
 */
export function visitReport(visits: readonly Visit[], configured: ReadonlyMap<string, ConfiguredExperiment>, probs: ClickProbs): string[] {
  const keys = [...new Set(visits.flatMap((v) => Object.keys(v.variants)))]
  const lines: string[] = []
  const title = (key: string) => configured.get(key)?.title ?? key
  const observed = (key: string) => countBy(visits, (v) => v.variants[key])
  const expected = new Map(keys.map((k) => [k, expectedShares(configured.get(k), observed(k))]))
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`

  for (const key of keys) {
    const counts = observed(key)
    const total = sum(counts.values())
    const bandit = configured.get(key)?.allocation?.type
    const note = bandit && bandit !== 'fixed' ? ` (${bandit} bandit: "Exact" is the current weights; earlier visitors followed earlier ones)` : ''
    lines.push(`${title(key)} Exp Split:${note}`)
    for (const [variant, n] of sorted(counts)) lines.push(`${variant}: ${n} visits (${pct(n / total)}), Exact ${pct(expected.get(key)!.get(variant) ?? 0)}`)
  }
  for (const key of keys) {
    lines.push(`${title(key)} Exp events:`)
    for (const [variant, n] of sorted(observed(key))) {
      const clicks = visits.filter((v) => v.variants[key] === variant && v.clicked).length
      const p = clicks / n
      const half = Z95 * Math.sqrt((p * (1 - p)) / n)
      lines.push(`${variant}: ${n} visits, ${clicks} clicks, Conv=${(100 * p).toFixed(2)} ± ${(100 * half).toFixed(2)}% (95% CI), Exact: ${pct(exactConversion(key, variant, probs, expected))}`)
    }
  }
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) lines.push(...independence(visits, keys[i]!, keys[j]!, expected))
  }
  return lines
}

/** Expected share of each variant served: weights × coverage, the rest to the fallback; one variant in rollout or when not running. */
function expectedShares(e: ConfiguredExperiment | undefined, observed: Map<string, number>): Map<string, number> {
  if (!e) {
    // Unknown configuration (no admin access): the observed shares are the best estimate.
    const total = sum(observed.values())
    return new Map([...observed].map(([k, n]) => [k, n / total]))
  }
  const fallback = e.fallback ?? e.control ?? e.variants[0]!.key
  if (e.state === 'rollout' && e.rolloutVariant) return new Map([[e.rolloutVariant, 1]])
  if (e.state !== 'running') return new Map([[fallback, 1]])
  const total = e.variants.reduce((s, v) => s + v.weight, 0)
  const shares = new Map(e.variants.map((v) => [v.key, (e.coverage * v.weight) / total]))
  shares.set(fallback, (shares.get(fallback) ?? 0) + (1 - e.coverage))
  return shares
}

/** P(click | key = variant) = 1 − (1 − p_key(variant)) · Π_{other e} (1 − Σ_u share_e(u) p_e(u)). */
function exactConversion(key: string, variant: string, probs: ClickProbs, expected: Map<string, Map<string, number>>): number {
  let stay = 1 - (probs[key]?.[variant] ?? 0)
  for (const [other, byVariant] of Object.entries(probs)) {
    if (other === key) continue
    const shares = expected.get(other)
    if (!shares) continue
    stay *= 1 - [...shares].reduce((s, [v, share]) => s + share * (byVariant[v] ?? 0), 0)
  }
  return 1 - stay
}

function independence(visits: readonly Visit[], a: string, b: string, expected: Map<string, Map<string, number>>): string[] {
  const joint = countBy(visits, (v) => (v.variants[a] !== undefined && v.variants[b] !== undefined ? `${v.variants[a]}\u0000${v.variants[b]}` : undefined))
  const total = sum(joint.values())
  const rows = sorted(countBy(visits, (v) => (v.variants[b] !== undefined ? v.variants[a] : undefined)))
  const cols = sorted(countBy(visits, (v) => (v.variants[a] !== undefined ? v.variants[b] : undefined)))
  let chi2 = 0
  for (const [ra, na] of rows) for (const [cb, nb] of cols) chi2 += ((joint.get(`${ra}\u0000${cb}`) ?? 0) - (na * nb) / total) ** 2 / ((na * nb) / total)
  const df = (rows.length - 1) * (cols.length - 1)
  const test = df > 0 ? `χ² = ${chi2.toFixed(2)}, df = ${df}, p = ${chiSquareSf(chi2, df).toFixed(3)}` : 'one cell: nothing to test'
  const lines = [`Split Independence ${a}/${b}: (${test})`]
  for (const [ra] of rows) {
    for (const [cb] of cols) {
      const n = joint.get(`${ra}\u0000${cb}`) ?? 0
      const exact = (expected.get(a)?.get(ra) ?? 0) * (expected.get(b)?.get(cb) ?? 0)
      lines.push(`('${ra}', '${cb}'): ${((100 * n) / total).toFixed(2)}%, independence ${(100 * exact).toFixed(2)}%`)
    }
  }
  return lines
}

function countBy(visits: readonly Visit[], key: (v: Visit) => string | undefined): Map<string, number> {
  const out = new Map<string, number>()
  for (const v of visits) {
    const k = key(v)
    if (k !== undefined) out.set(k, (out.get(k) ?? 0) + 1)
  }
  return out
}

// simulate_visits.py (docs/compatibility.md) lists groups in sorted order.
function sorted(m: Map<string, number>): [string, number][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

function sum(values: Iterable<number>): number {
  let s = 0
  for (const v of values) s += v
  return s
}
