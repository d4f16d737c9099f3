import * as z from 'zod/mini'

/**
 * A pair of numbers `[low, high]` (a confidence interval) in a response schema. Not `z.tuple`: these
 * schemas only type the answers and describe them in /openapi.json (src/http/json-schema.ts writes
 * this one as the tuple it is), and zod's tuple costs ~0.5 KiB of the Worker's gzipped bundle.
 */
export const NumberPairSchema = z.custom<[number, number]>((v) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number'))
