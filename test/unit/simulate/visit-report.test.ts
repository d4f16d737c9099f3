import { describe, expect, it } from 'vitest'
import type { Visit } from '../../../tools/simulate/run-visits'
import { type ConfiguredExperiment, visitReport } from '../../../tools/simulate/visit-report'

const experiment = (key: string, title: string, variants: string[], fields: Partial<ConfiguredExperiment> = {}): ConfiguredExperiment => ({
  key,
  title,
  state: 'running',
  variants: variants.map((v) => ({ key: v, weight: 50 })),
  coverage: 1,
  rolloutVariant: null,
  ...fields,
})

/** n visits per (Moon/Mars, White/Gold) cell, `clicks` of them clicking. */
function cell(mm: string, wg: string, n: number, clicks: number): Visit[] {
  return Array.from({ length: n }, (_, i) => ({ unit: `${mm}-${wg}-${i}`, variants: { moon_mars: mm, white_gold_btn: wg }, reasons: {}, clicked: i < clicks }))
}

const visits = [...cell('Moon', 'White', 250, 25), ...cell('Moon', 'Gold', 250, 25), ...cell('Mars', 'White', 250, 50), ...cell('Mars', 'Gold', 250, 50)]
const configured = new Map([
  ['moon_mars', experiment('moon_mars', 'Moon/Mars', ['Moon', 'Mars'])],
  ['white_gold_btn', experiment('white_gold_btn', 'White/Gold', ['White', 'Gold'])],
])
const probs = { moon_mars: { Moon: 0.1, Mars: 0.2 } }

describe('visitReport, in seed 001\'s format', () => {
  const lines = visitReport(visits, configured, probs)

  it('should report each split against the configured weights', () => {
    expect(lines.slice(0, 6)).toEqual([
      'Moon/Mars Exp Split:',
      'Mars: 500 visits (50.00%), Exact 50.00%',
      'Moon: 500 visits (50.00%), Exact 50.00%',
      'White/Gold Exp Split:',
      'Gold: 500 visits (50.00%), Exact 50.00%',
      'White: 500 visits (50.00%), Exact 50.00%',
    ])
  })

  it('should report conversion ± a 95% interval against the rate the click probabilities imply', () => {
    expect(lines).toContain('Mars: 500 visits, 100 clicks, Conv=20.00 ± 3.51% (95% CI), Exact: 20.00%')
    expect(lines).toContain('Moon: 500 visits, 50 clicks, Conv=10.00 ± 2.63% (95% CI), Exact: 10.00%')
    // Seed 001: the second experiment converts at 0.1·½ + 0.2·½ in both groups.
    expect(lines).toContain('Gold: 500 visits, 75 clicks, Conv=15.00 ± 3.13% (95% CI), Exact: 15.00%')
  })

  it('should check the two splits for independence', () => {
    expect(lines.slice(-5)).toEqual([
      'Split Independence moon_mars/white_gold_btn: (χ² = 0.00, df = 1, p = 1.000)',
      "('Mars', 'Gold'): 25.00%, independence 25.00%",
      "('Mars', 'White'): 25.00%, independence 25.00%",
      "('Moon', 'Gold'): 25.00%, independence 25.00%",
      "('Moon', 'White'): 25.00%, independence 25.00%",
    ])
  })

  it('should expect the rolled-out variant for everyone in rollout, and the weights × coverage otherwise', () => {
    const rolled = new Map(configured).set('white_gold_btn', experiment('white_gold_btn', 'White/Gold', ['White', 'Gold'], { state: 'rollout', rolloutVariant: 'White' }))
    const onlyWhite = visits.map((v) => ({ ...v, variants: { ...v.variants, white_gold_btn: 'White' } }))
    expect(visitReport(onlyWhite, rolled, probs)).toContain('White: 1000 visits (100.00%), Exact 100.00%')
    const ramp = new Map(configured).set('moon_mars', { ...experiment('moon_mars', 'Moon/Mars', ['Moon', 'Mars']), coverage: 0.5 })
    expect(visitReport(visits, ramp, probs)).toContain('Moon: 500 visits (50.00%), Exact 75.00%')
  })

  it('should fall back to the observed shares when the configuration is unknown', () => {
    expect(visitReport(visits, new Map(), probs)).toContain('Mars: 500 visits (50.00%), Exact 50.00%')
  })
})
