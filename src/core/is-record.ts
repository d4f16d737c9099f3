/** Whether `value` is a JSON object: not null and not an array (what `{…}` parses to). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
