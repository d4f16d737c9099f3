export interface SimpsonSegment {
  /** The segment's value (e.g. a country). */
  segment: string
  /** The treatment's lift over control within the segment (null when undefined). */
  lift: number | null
  /** Units in the segment (control + treatment). */
  n: number
}

export interface SimpsonCheckResult {
  /** Whether the overall lift has the opposite sign of the lift in every segment with enough units. */
  paradox: boolean
  /** Segments with at least `minUnits` units and a non-zero lift: the ones judged. */
  judged: string[]
  /** The verdict in words, or null when there is nothing to say. */
  text: string | null
}

/**
 * Simpson's paradox check (Simpson 1951; Kohavi, Tang & Xu 2020, "Trustworthy Online Controlled
 * Experiments", §3): flags when the overall lift is non-zero and has the opposite sign of the lift
 * in every segment with at least `minUnits` units (at least two such segments, each with a non-zero
 * lift), which happens when the variants' mix over segments differs (e.g. an allocation changed
 * mid-flight, or a segment was ramped separately), so the pooled comparison is confounded.
 * @example simpsonCheck(0.02, [{ segment: 'US', lift: -0.01, n: 900 }, { segment: 'DE', lift: -0.03, n: 800 }]).paradox // true
 */
export function simpsonCheck(overall: number | null, segments: readonly SimpsonSegment[], minUnits = 100, label = 'segment'): SimpsonCheckResult {
  const judged = segments.filter((s) => s.n >= minUnits && s.lift !== null && s.lift !== 0 && Number.isFinite(s.lift))
  const names = judged.map((s) => s.segment)
  if (overall === null || overall === 0 || !Number.isFinite(overall) || judged.length < 2) return { paradox: false, judged: names, text: null }
  const opposite = judged.every((s) => Math.sign(s.lift!) === -Math.sign(overall))
  if (!opposite) return { paradox: false, judged: names, text: null }
  const way = overall > 0 ? 'better overall but worse' : 'worse overall but better'
  return {
    paradox: true,
    judged: names,
    text: `Simpson's paradox: the treatment is ${way} in every ${label} with at least ${minUnits} units (${names.join(', ')}); the variants' ${label} mix differs, so trust the per-${label} results, not the overall one`,
  }
}
