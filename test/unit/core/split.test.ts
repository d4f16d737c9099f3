import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bucketRanges, chooseRange, inSlice } from '../../../src/core/bucket'
import { hashToUnitInterval } from '../../../src/core/hash'
import { chiSquareSf } from '../../../src/stats'
import { unitIds } from '../../shared/experiments'

const N = 100_000
const ids = unitIds(N)

/**
 * The hash (docs/design.md, "Hashing") computed with Node's synchronous SHA-256: 100k Web Crypto
 * digests per case would take minutes in Node, and the first test below ties this to the real
 * hashToUnitInterval.
 */
function u(unit: string, salt: string): number {
  const d = createHash('sha256').update(`${unit}:${salt}`, 'utf8').digest()
  return d.readUInt32BE(0) * 2 ** -32 + d.readUInt32BE(4) * 2 ** -64
}

/** Variant index per id (-1: outside coverage) under the given weights and coverage. */
function split(salt: string, weights: number[], coverage = 1): number[] {
  const ranges = bucketRanges(weights, coverage)
  return ids.map((id) => chooseRange(u(id, salt), ranges))
}

/** Pearson χ² goodness of fit of observed counts against expected proportions. */
function goodnessOfFit(observed: number[], proportions: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0)
  const chi2 = observed.reduce((s, o, i) => s + (o - total * proportions[i]!) ** 2 / (total * proportions[i]!), 0)
  return chiSquareSf(chi2, observed.length - 1)
}

describe('the split over 100k ids', () => {
  it('should use the same hash as hashToUnitInterval', async () => {
    for (const id of ids.slice(0, 2000)) expect(u(id, 'moon_mars')).toBe(await hashToUnitInterval(id, 'moon_mars'))
  })

  it.each([
    ['50/50', [50, 50]],
    ['90/10', [90, 10]],
    ['3-way 20/30/50', [20, 30, 50]],
  ])('should match %s weights (χ² p > 0.001)', (_name, weights) => {
    const assigned = split(`split_${weights.join('_')}`, weights)
    const observed = weights.map((_, i) => assigned.filter((v) => v === i).length)
    const total = weights.reduce((a, b) => a + b, 0)
    expect(goodnessOfFit(observed, weights.map((w) => w / total))).toBeGreaterThan(0.001)
  })

  it('should assign two experiments independently (χ² on their joint table, p > 0.001)', () => {
    const a = split('moon_mars', [1, 1])
    const b = split('white_gold_btn', [1, 1])
    const table = [
      [0, 0],
      [0, 0],
    ]
    a.forEach((va, i) => table[va]![b[i]!]!++)
    const rows = table.map((r) => r[0]! + r[1]!)
    const cols = [table[0]![0]! + table[1]![0]!, table[0]![1]! + table[1]![1]!]
    let chi2 = 0
    for (let r = 0; r < 2; r++) for (let k = 0; k < 2; k++) chi2 += (table[r]![k]! - (rows[r]! * cols[k]!) / N) ** 2 / ((rows[r]! * cols[k]!) / N)
    expect(chiSquareSf(chi2, 1)).toBeGreaterThan(0.001)
  })

  it('should keep every enrolled unit in its variant when coverage rises from 10% to 50% to 100%', () => {
    const runs = [0.1, 0.5, 1].map((coverage) => split('ramp', [1, 2, 1], coverage))
    for (let step = 1; step < runs.length; step++) {
      let kept = 0
      runs[step - 1]!.forEach((before, i) => {
        if (before < 0) return
        if (runs[step]![i] !== before) throw new Error(`${ids[i]} moved from ${before} to ${runs[step]![i]}`)
        kept++
      })
      expect(kept).toBeGreaterThan(0)
    }
    const share = runs.map((r) => r.filter((v) => v >= 0).length / N)
    expect(share[0]).toBeCloseTo(0.1, 2)
    expect(share[1]).toBeCloseTo(0.5, 2)
    expect(share[2]).toBe(1)
  })

  it('should keep experiments in one layer mutually exclusive and split the layer by their slices', () => {
    const layer = ids.map((id) => u(id, 'layer:checkout'))
    const left = layer.map((x) => inSlice(x, [0, 0.3]))
    const right = layer.map((x) => inSlice(x, [0.3, 1]))
    expect(left.some((l, i) => l && right[i])).toBe(false)
    expect(left.every((l, i) => l || right[i])).toBe(true)
    expect(left.filter(Boolean).length / N).toBeCloseTo(0.3, 2)
  })
})
