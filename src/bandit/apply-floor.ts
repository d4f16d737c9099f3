/**
 * Floors weights at f with sum 1: arms in the set L are pinned to f and every other arm gets
 * w_i·(1 − |L|·f) / Σ_{j∉L} w_j, growing L until no rescaled arm falls below f (iterative clamp-and-rescale;
 * the floor itself, 1% per arm by default, is in docs/design.md, "Bandits"). Raising low arms and renormalising everything would
 * push other arms back under f, hence the loop. Throws RangeError unless the weights are finite, ≥ 0,
 * with positive sum, and 0 ≤ f with f·k ≤ 1.
 * @example
 * applyFloor([0.7, 0.101, 0.199, 0], 0.1) // ≈ [0.6229, 0.1, 0.1771, 0.1]
 */
export function applyFloor(weights: readonly number[], floor: number): number[] {
  const k = weights.length
  if (k === 0) throw new RangeError('applyFloor: weights must be a non-empty array')
  if (!weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
    throw new RangeError(`applyFloor: weights must be finite numbers ≥ 0, got [${weights.join(', ')}]`)
  }
  const total = weights.reduce((s, w) => s + w, 0)
  if (!(total > 0)) throw new RangeError('applyFloor: weights must have a positive sum')
  if (!Number.isFinite(floor) || floor < 0 || floor * k > 1 + 1e-12) {
    throw new RangeError(`applyFloor: floor must satisfy 0 ≤ floor and floor·k ≤ 1, got floor=${floor}, k=${k}`)
  }
  if (floor * k >= 1 - 1e-12) return weights.map(() => 1 / k)

  const normalised = weights.map((w) => w / total)
  const pinned = normalised.map((w) => w < floor)
  let result = normalised
  // Each pass can only pin more arms (the scale shrinks as L grows), so k passes suffice.
  for (let pass = 0; pass <= k; pass++) {
    const pinnedCount = pinned.filter(Boolean).length
    const freeMass = normalised.reduce((s, w, i) => (pinned[i] ? s : s + w), 0)
    const scale = (1 - pinnedCount * floor) / freeMass
    result = normalised.map((w, i) => (pinned[i] ? floor : w * scale))
    let changed = false
    result.forEach((w, i) => {
      if (!pinned[i] && w < floor) {
        pinned[i] = true
        changed = true
      }
    })
    if (!changed) break
  }
  // Put the rounding residue on the largest arm, which is the one furthest above the floor.
  const residual = 1 - result.reduce((s, w) => s + w, 0)
  let largest = 0
  result.forEach((w, i) => {
    if (w > result[largest]!) largest = i
  })
  result[largest] = result[largest]! + residual
  return result
}
