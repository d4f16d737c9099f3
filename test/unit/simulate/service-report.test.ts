import { describe, expect, it } from 'vitest'
import { rebalanceExperiment } from '../../../src/bandit/rebalance'
import { seededRandom } from '../../../src/core/random'
import { transition } from '../../../src/core/lifecycle'
import { analyzeExperiment } from '../../../src/results/analyze-experiment'
import { parseCounters } from '../../../src/core/counters'
import { serviceReport } from '../../../tools/simulate/service-report'
import { draftExperiment } from '../../shared/experiments'

const t0 = new Date('2026-11-01T00:00:00Z')
const counters = parseCounters({ 'x|1|Moon': 1000, 'x|1|Mars': 1000, 'xa|1|1|Moon': 1000, 'xa|1|1|Mars': 1000, 'n|1|Moon|conversion': 100, 'n|1|Mars|conversion': 200 })

describe('serviceReport', () => {
  it('should print the primary metric per variant, SRM and the verdict', () => {
    const e = transition(draftExperiment({ key: 'mm', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }] }), { to: 'running' }, t0)
    const lines = serviceReport(analyzeExperiment(e, counters))
    expect(lines[0]).toBe('Service results for mm (running, epoch 1; every unit exposed in this epoch, not only this run):')
    expect(lines).toContain('    Moon: n = 1000, converters = 100, rate = 10.00%  (control)')
    expect(lines.find((l) => l.startsWith('    Mars:'))).toMatch(/rate = 20\.00%  lift 100\.0% \[.+\], p = .+, sequential p = .+, chance to beat Moon 100\.0%$/)
    expect(lines).toContain('  SRM: χ² p = 1.0000 (ok)')
  })

  it('should list a bandit\'s allocation history', () => {
    const e = transition(draftExperiment({ key: 'mm', variants: [{ key: 'Moon', weight: 1 }, { key: 'Mars', weight: 1 }], allocation: { type: 'thompson' } }), { to: 'running' }, t0)
    const out = rebalanceExperiment(e, { Moon: { units: 1000, conversions: 100 }, Mars: { units: 1000, conversions: 200 } }, new Date('2026-11-01T01:00:00Z'), seededRandom(1))
    if (!('experiment' in out)) throw new Error(out.message)
    expect(serviceReport(analyzeExperiment(out.experiment, counters)).slice(-3)).toEqual([
      '  Allocation: thompson, 2 allocation(s):',
      '    v1 epoch 1 from 2026-11-01T00:00:00.000Z: Moon 1, Mars 1',
      '    v2 epoch 1 from 2026-11-01T01:00:00.000Z: Moon 0.01, Mars 0.99 (thompson)',
    ])
  })
})
