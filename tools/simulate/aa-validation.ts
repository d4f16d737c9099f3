import { assign } from '../../src/core/assign'
import { chooseRange } from '../../src/core/bucket'
import { compileExperiment } from '../../src/core/compile'
import { createExperiment } from '../../src/core/edit'
import { ExperimentCreateSchema } from '../../src/core/experiment'
import { transition } from '../../src/core/lifecycle'
import { type RandomSource, seededRandom } from '../../src/core/random'
import { parseOrThrow } from '../../src/core/validate'
import { sequentialTest, twoProportionTest } from '../../src/stats'
import { hashToUnitInterval } from '../../src/core/hash'

/** Settings of an A/A validation run. */
export type AaOptions = {
  /** Number of A/A experiments. */
  experiments: number
  /** Units per experiment (the fixed horizon). */
  units: number
  /** Units between looks when peeking. */
  peekEvery: number
  /** True conversion rate of both variants. */
  rate: number
  alpha: number
  /** The sequential test's tuning N* (the experiment default is 5000). */
  nStar: number
  seed: string | number
  /** Units per experiment, in the first experiments, also assigned by the async `assign` to prove the fast path equal. */
  verify?: number
  /** Called after each experiment (progress). */
  onProgress?: (done: number, total: number) => void
}

/** One method's false positives out of `experiments`, with a Wilson 95% interval on the rate. */
export type AaRate = { falsePositives: number; rate: number; ci: [number, number] }

/** What `runAaValidation` measured. */
export type AaResult = {
  options: Omit<AaOptions, 'onProgress'>
  looks: number
  /** (a) one fixed-horizon z-test at `units`. */
  fixedHorizon: AaRate
  /** (b) the z-test at every look, stopping at the first p < alpha. */
  peeking: AaRate
  /** (c) the always-valid sequential test at every look, stopping at the first p < alpha. */
  sequential: AaRate
  /** Mean share of units in variant A (should be ≈ 0.5). */
  meanShareA: number
  /** Assignments checked against the real async `assign` (all equal, or the run throws). */
  verified: number
}

/**
 * A/A validation (the peeking problem, docs/design.md "Sequential testing"): runs `experiments` experiments whose two
 * variants convert at the same rate, assigning seeded random unit ids with the real experiment
 * schema, compile and bucketing code (hashing synchronously, checked against `assign` itself),
 * and counts how often each analysis wrongly declares a difference: a single fixed-horizon look
 * (≈ alpha), peeking with the z-test every `peekEvery` units (inflated, Armitage et al. 1969), and
 * the always-valid sequential test (Waudby-Smith et al. 2024) under the same peeking (≤ alpha).
 * @example await runAaValidation({ experiments: 1000, units: 5000, peekEvery: 100, rate: 0.1, alpha: 0.05, nStar: 5000, seed: 1 })
 */
export async function runAaValidation(options: AaOptions): Promise<AaResult> {
  const { experiments, units, peekEvery, rate, alpha, nStar, seed, verify = 200, onProgress } = options
  if (!Number.isInteger(experiments) || experiments < 1) throw new RangeError(`experiments must be a positive integer, got ${experiments}`)
  if (!Number.isInteger(units) || units < 2) throw new RangeError(`units must be an integer ≥ 2, got ${units}`)
  if (!Number.isInteger(peekEvery) || peekEvery < 1) throw new RangeError(`peekEvery must be a positive integer, got ${peekEvery}`)
  if (!(rate > 0 && rate < 1)) throw new RangeError(`rate must be in (0, 1), got ${rate}`)
  const rng = seededRandom(seed)
  const now = new Date('2026-11-01T00:00:00Z')
  let fixed = 0
  let peeking = 0
  let sequential = 0
  let shareA = 0
  let verified = 0
  const looks = Math.floor(units / peekEvery) + (units % peekEvery === 0 ? 0 : 1)

  for (let i = 0; i < experiments; i++) {
    const draft = createExperiment(
      parseOrThrow(ExperimentCreateSchema, { key: `aa_${i}`, title: `A/A ${i}`, variants: [{ key: 'A', weight: 1 }, { key: 'B', weight: 1 }] }),
      now,
    )
    const compiled = compileExperiment(transition(draft, { to: 'running' }, now))
    const n = [0, 0]
    const x = [0, 0]
    let peekHit = false
    let sequentialHit = false
    for (let j = 1; j <= units; j++) {
      const unit = unitId(rng)
      const arm = chooseRange(hashToUnitInterval(unit, compiled.salt), compiled.ranges)
      if (i < 3 && j <= verify) {
        const real = await assign(compiled, { unit, bot: false, device: 'desktop', attributes: {} })
        if (real.variant !== compiled.experiment.variants[arm]!.key) throw new Error(`A/A: fast assignment of ${unit} differs from assign(): ${arm} vs ${real.variant}`)
        verified++
      }
      n[arm]! += 1
      if (rng() < rate) x[arm]! += 1
      if (j % peekEvery === 0 || j === units) {
        const groups = { control: { n: n[0]!, x: x[0]! }, treatment: { n: n[1]!, x: x[1]! } }
        const z = significant(twoProportionTest({ ...groups, alpha }).pValue, alpha)
        if (z) peekHit = true
        if (j === units && z) fixed++
        if (!sequentialHit && significant(sequentialTest({ kind: 'proportion', ...groups, alpha, nStar }).pValue, alpha)) sequentialHit = true
      }
    }
    if (peekHit) peeking++
    if (sequentialHit) sequential++
    shareA += n[0]! / units
    onProgress?.(i + 1, experiments)
  }
  const { onProgress: _, ...kept } = options
  return {
    options: { ...kept, verify },
    looks,
    fixedHorizon: aaRate(fixed, experiments),
    peeking: aaRate(peeking, experiments),
    sequential: aaRate(sequential, experiments),
    meanShareA: shareA / experiments,
    verified,
  }
}

function significant(p: number | null, alpha: number): boolean {
  return p !== null && p < alpha
}

// 13 base-36 characters from the seeded source: about 2^64 ids, so collisions never matter.
function unitId(rng: RandomSource): string {
  return `aa-${Math.floor(rng() * 2 ** 32).toString(36)}${Math.floor(rng() * 2 ** 32).toString(36)}`
}

// Wilson score interval (Wilson 1927): good coverage for small rates, unlike the Wald interval.
function aaRate(k: number, n: number): AaRate {
  const z = 1.959963984540054
  const p = k / n
  const denominator = 1 + (z * z) / n
  const centre = (p + (z * z) / (2 * n)) / denominator
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator
  return { falsePositives: k, rate: p, ci: [Math.max(0, centre - half), Math.min(1, centre + half)] }
}
