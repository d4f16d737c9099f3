/**
 * Indices i with values[i] within 1e-12 (relative) of max(values): the argmax set, so that callers
 * can split ties equally instead of favouring the lowest index as numpy's argmax does.
 * @example
 * bestArms([0.2, 0.5, 0.5]) // [1, 2]
 */
export function bestArms(values: readonly number[]): number[] {
  let max = -Infinity
  for (const v of values) if (v > max) max = v
  // Relative tolerance: equal formulas on equal counts can still differ in the last bit.
  const tolerance = 1e-12 * Math.max(1, Math.abs(max))
  const best: number[] = []
  values.forEach((v, i) => {
    if (max - v <= tolerance) best.push(i)
  })
  return best
}
