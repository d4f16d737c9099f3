/** A half-open interval [start, end) of the unit hash. */
export type Range = readonly [start: number, end: number]

/**
 * GrowthBook-style variant ranges: variant i owns [W_i, W_i + c·w_i) with W_i = Σ_{j<i} w_j over
 * normalised weights, so raising coverage c only adds units and never moves an enrolled one.
 * @example bucketRanges([1, 1], 0.5) // [[0, 0.25], [0.5, 0.75]]
 */
export function bucketRanges(weights: readonly number[], coverage: number): Range[] {
  const total = weights.reduce((a, b) => a + b, 0)
  const ranges: Range[] = []
  let cumulative = 0
  for (const weight of weights) {
    const w = weight / total
    ranges.push([cumulative, cumulative + coverage * w])
    cumulative += w
  }
  return ranges
}

/**
 * Index of the range holding u, or -1 when u falls in none (outside coverage).
 * At full coverage the last range also takes u = 1, the one double a 64-bit hash can round to.
 * @example chooseRange(0.3, [[0, 0.5], [0.5, 1]]) // 0
 */
export function chooseRange(u: number, ranges: readonly Range[]): number {
  for (let i = 0; i < ranges.length; i++) {
    const [start, end] = ranges[i]!
    if (u >= start && u < end) return i
  }
  const last = ranges.length - 1
  if (last >= 0 && u >= 1 && ranges[last]![1] >= 1) return last
  return -1
}

/**
 * Whether u lies in the half-open slice [start, end) of a mutual-exclusion layer.
 * @example inSlice(0.2, [0, 0.5]) // true
 */
export function inSlice(u: number, [start, end]: Range): boolean {
  return u >= start && (u < end || (end >= 1 && u >= 1))
}
