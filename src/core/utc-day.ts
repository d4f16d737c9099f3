/** The UTC day (YYYY-MM-DD) a timestamp falls on: the unit of every daily series. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
