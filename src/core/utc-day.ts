const DAY_MS = 86_400_000
// The last day formatted: every exposure of a request (and of most requests) falls on the same day.
let lastDay = Number.NaN
let lastText = ''

/** The UTC day (YYYY-MM-DD) a timestamp falls on: the unit of every daily series. */
export function utcDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS)
  if (day !== lastDay) {
    lastText = new Date(ms).toISOString().slice(0, 10)
    lastDay = day
  }
  return lastText
}
