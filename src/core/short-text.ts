import * as z from 'zod/mini'

/** A string of 1 to `max` characters, worded as every such field words it (names, ids, tags, salts, titles). */
export const shortText = (max: number) => z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`))
