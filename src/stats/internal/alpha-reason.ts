/**
 * Why a probability parameter (alpha, power) is unusable, or null when it lies strictly inside (0, 1).
 * @example alphaReason('alpha', 0.05) // null
 */
export function alphaReason(name: string, value: unknown): string | null {
  return typeof value === 'number' && value > 0 && value < 1 ? null : `${name} must be in (0, 1)`
}
