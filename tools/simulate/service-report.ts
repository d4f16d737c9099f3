import type { ExperimentResults } from '../../src/results/types'

/**
 * The service's own analysis (GET /v1/experiments/:key/results), printed beside the simulator's
 * tally: the primary metric per variant with its lift, p-value and always-valid p-value, the SRM
 * check, the verdict and, for a bandit, the allocation history. The service counts every unit exposed
 * in the current epoch, so its n includes earlier runs' visitors.
 * @example serviceReport(results).join('\n')
 */
export function serviceReport(r: ExperimentResults): string[] {
  const pct = (x: number | null | undefined, digits = 2) => (x == null ? 'n/a' : `${(100 * x).toFixed(digits)}%`)
  const num = (x: number | null | undefined) => (x == null ? 'n/a' : x < 1e-4 ? x.toExponential(2) : x.toFixed(4))
  const lines = [`Service results for ${r.experiment} (${r.state}, epoch ${r.epoch}; every unit exposed in this epoch, not only this run):`]
  const primary = r.metrics.find((m) => m.role === 'primary') ?? r.metrics[0]
  if (primary) {
    lines.push(`  ${primary.key} (${primary.type}, primary):`)
    for (const v of primary.variants) {
      const c = v.comparison
      const rate = primary.type === 'binomial' ? pct(v.value) : v.value == null ? 'n/a' : v.value.toFixed(4)
      const versus = c
        ? `  lift ${pct(c.relative.estimate, 1)} [${pct(c.relative.ci?.[0], 1)}, ${pct(c.relative.ci?.[1], 1)}], p = ${num(c.pValue)}, sequential p = ${num(c.sequential.pValue)}, chance to beat ${r.control} ${pct(c.chanceToBeatControl, 1)}`
        : '  (control)'
      lines.push(`    ${v.variant}: n = ${v.n}, converters = ${v.converters}, rate = ${rate}${versus}`)
    }
  }
  lines.push(`  SRM: ${r.srm.pValue == null ? r.srm.reason ?? 'n/a' : `χ² p = ${num(r.srm.pValue)}${r.srm.mismatch ? ' — MISMATCH' : ' (ok)'}`}`)
  lines.push(`  Verdict: ${r.verdict.text}`)
  if (r.allocation && r.allocation.type !== 'fixed') {
    lines.push(`  Allocation: ${r.allocation.type}, ${r.allocations.length} allocation(s):`)
    for (const a of r.allocations) {
      const weights = Object.entries(a.weights).map(([k, w]) => `${k} ${w}`).join(', ')
      lines.push(`    v${a.version} epoch ${a.epoch} from ${a.at}: ${weights}${a.bandit ? ` (${a.bandit.algorithm})` : ''}`)
    }
  }
  return lines
}
