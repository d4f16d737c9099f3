import type { ArmCounts } from './types'

/**
 * Throws RangeError unless `arms` is a non-empty array of { units, conversions } with
 * 0 ≤ conversions ≤ units, all finite: invalid counts are a programmer or storage error, never data.
 * @example
 * assertArms([{ units: 10, conversions: 2 }], 'computeAllocation') // ok
 * assertArms([{ units: 1, conversions: 2 }], 'computeAllocation')  // RangeError
 */
export function assertArms(arms: readonly ArmCounts[], caller: string): void {
  if (!Array.isArray(arms) || arms.length === 0) {
    throw new RangeError(`${caller}: arms must be a non-empty array of { units, conversions }`)
  }
  arms.forEach((arm, i) => {
    const { units, conversions } = arm ?? ({} as ArmCounts)
    if (typeof units !== 'number' || !Number.isFinite(units) || units < 0) {
      throw new RangeError(`${caller}: arms[${i}].units must be a finite number ≥ 0, got ${units}`)
    }
    if (typeof conversions !== 'number' || !Number.isFinite(conversions) || conversions < 0) {
      throw new RangeError(`${caller}: arms[${i}].conversions must be a finite number ≥ 0, got ${conversions}`)
    }
    if (conversions > units) {
      throw new RangeError(`${caller}: arms[${i}].conversions (${conversions}) exceeds units (${units})`)
    }
  })
}
