import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import en from 'zod/v4/locales/en.js'
import { zodMessage } from '../../../src/core/zod-messages'

const english = en().localeError as (issue: z.core.$ZodRawIssue) => string

/** The raw issues (input included) a schema raises for an input, as a locale receives them. */
function rawIssues(schema: z.ZodMiniType, input: unknown): z.core.$ZodRawIssue[] {
  const seen: z.core.$ZodRawIssue[] = []
  z.config({
    customError: (issue) => {
      seen.push(issue)
      return undefined
    },
  })
  try {
    void schema.safeParse(input).error?.issues.map((issue) => issue.message)
  } finally {
    z.config({ customError: undefined })
  }
  return seen
}

class Point {
  x = 1
}

const CASES: [string, z.ZodMiniType, unknown][] = [
  ['a missing string', z.object({ s: z.string() }), {}],
  ['a number for a string', z.string(), 5],
  ['NaN for a number', z.number(), Number.NaN],
  ['Infinity for a number', z.number(), Number.POSITIVE_INFINITY],
  ['an array for an object', z.object({}), [1]],
  ['null for an object', z.object({}), null],
  ['a class instance for a string', z.string(), new Point()],
  ['a date for a string', z.string(), new Date(0)],
  ['an object without a prototype', z.string(), Object.create(null)],
  ['a fraction for an integer', z.int(), 1.5],
  ['a wrong literal', z.literal('a'), 'b'],
  ['a wrong numeric literal', z.literal(3), 4],
  ['a wrong enum value', z.enum(['x', 'y', 'z']), 'w'],
  ['a long string', z.string().check(z.maxLength(3)), 'abcd'],
  ['a short string', z.string().check(z.minLength(2)), 'a'],
  ['a string of the wrong length', z.string().check(z.length(2)), 'abc'],
  ['a long array', z.array(z.number()).check(z.maxLength(1)), [1, 2]],
  ['an empty array', z.array(z.number()).check(z.minLength(1)), []],
  ['a number too big', z.number().check(z.maximum(10)), 11],
  ['a number not below', z.number().check(z.lt(10)), 10],
  ['a number too small', z.number().check(z.minimum(0)), -1],
  ['a number not above', z.number().check(z.gt(0)), 0],
  ['an unsafe integer', z.int(), 2 ** 60],
  ['a string off the pattern', z.string().check(z.regex(/^a+$/)), 'b'],
  ['unknown keys', z.strictObject({ a: z.optional(z.string()) }), { b: 1, c: 2 }],
  ['one unknown key', z.strictObject({}), { b: 1 }],
  ['no union option', z.union([z.string(), z.number()]), true],
  ['a big bigint', z.bigint().check(z.maximum(BigInt(1))), BigInt(2)],
]

describe('zod messages', () => {
  it.each(CASES)('should word %s as zod\'s English locale does', (_, schema, input) => {
    const issues = rawIssues(schema, input)
    expect(issues.length).toBeGreaterThan(0)
    for (const issue of issues) expect(zodMessage(issue)).toBe(english(issue))
  })

  it('should word the other issues of a union, a record and a too-big value without an origin as zod\'s English locale does', () => {
    const raw = [
      { code: 'invalid_union', input: 1, errors: [] },
      { code: 'too_big', input: 1, maximum: 3, inclusive: true },
      { code: 'too_small', input: 1, minimum: 3, exact: true, origin: 'array' },
      { code: 'invalid_value', input: 1, values: [BigInt(1), 'a', null] },
      { code: 'custom', input: 1 },
    ] as unknown as z.core.$ZodRawIssue[]
    for (const issue of raw) expect(zodMessage(issue)).toBe(english(issue))
  })

  it('should say "Invalid input" for the issues of schemas no code here uses (multiples, sets and maps, record keys, discriminated unions)', () => {
    const raw = [
      { code: 'not_multiple_of', input: 7, divisor: 5 },
      { code: 'invalid_key', input: 1, origin: 'record', issues: [] },
      { code: 'invalid_element', input: 1, origin: 'map', key: 'k', issues: [] },
      { code: 'invalid_union', input: 1, errors: [], options: ['a', 'b'] },
    ] as unknown as z.core.$ZodRawIssue[]
    expect(raw.map(zodMessage)).toEqual(raw.map(() => 'Invalid input'))
  })

  it('should name the format of a string check other than a pattern (no schema here uses one)', () => {
    expect(rawIssues(z.string().check(z.startsWith('/')), 'x').map(zodMessage)).toEqual(['Invalid starts_with'])
    expect(rawIssues(z.iso.date(), 'yesterday').map(zodMessage)).toEqual(['Invalid date'])
  })
})
