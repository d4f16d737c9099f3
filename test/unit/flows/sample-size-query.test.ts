import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { DomainError } from '../../../src/core/errors'
import { parseOrThrow } from '../../../src/core/validate'
import { parseSampleSizeQuery } from '../../../src/flows/sample-size'

// The query schema as it was written with zod's pipe and transform: the reference the parser must match.
const number = (what: string) => z.pipe(z.string().check(z.regex(/^-?\d*\.?\d+(e-?\d+)?$/i, `${what} must be a number`)), z.transform(Number))
const Reference = z.strictObject({
  baseline: z.pipe(number('baseline'), z.number().check(z.gt(0, 'baseline must be a rate in (0, 1)'), z.lt(1, 'baseline must be a rate in (0, 1)'))),
  mde: z.pipe(number('mde'), z.number().check(z.gt(0, 'mde must be greater than 0'))),
  mdeType: z._default(z.enum(['relative', 'absolute']), 'relative'),
  alpha: z._default(z.pipe(number('alpha'), z.number().check(z.gt(0, 'alpha must be in (0, 0.5]'), z.lte(0.5, 'alpha must be in (0, 0.5]'))), 0.05),
  power: z._default(z.pipe(number('power'), z.number().check(z.gt(0, 'power must be in (0, 1)'), z.lt(1, 'power must be in (0, 1)'))), 0.8),
  variants: z._default(z.pipe(number('variants'), z.int().check(z.gte(2, 'variants must be at least 2'), z.lte(20, 'variants must be at most 20'))), 2),
})

/** The parsed query, or the refusal's message and per-field lines. */
function outcome(parse: () => unknown): unknown {
  try {
    return { ok: parse() }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    return { refused: error.message, details: error.details }
  }
}

const value = fc.oneof(
  fc.constantFrom('0', '0.1', '.5', '1', '2', '3.5', '20', '21', '-1', '1e999', '-1e999', '1e-400', '0.5', '0.05', '9007199254740993', 'abc', '', ' 1', '0x10', 'Infinity', 'NaN', '1e3'),
  fc.double().map(String),
  fc.integer({ min: -5, max: 30 }).map(String),
  fc.string({ maxLength: 6 }),
)
const field = (name: string) => fc.option(value, { nil: undefined }).map((v) => (v === undefined ? {} : { [name]: v }))
const query = fc
  .tuple(field('baseline'), field('mde'), field('alpha'), field('power'), field('variants'), fc.option(fc.constantFrom('relative', 'absolute', 'other'), { nil: undefined }), fc.option(fc.constantFrom('extra'), { nil: undefined }))
  .map(([a, b, c, d, e, mdeType, extra]) => ({ ...a, ...b, ...c, ...d, ...e, ...(mdeType ? { mdeType } : {}), ...(extra ? { [extra]: '1' } : {}) }))

describe('parseSampleSizeQuery', () => {
  it('should read every query as the pipe-and-transform schema did: the same numbers, or the same refusal word for word', () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(outcome(() => parseSampleSizeQuery(q))).toEqual(outcome(() => parseOrThrow(Reference, q)))
      }),
      { numRuns: 2000 },
    )
  })

  it('should fill the defaults and refuse a value that is no number', () => {
    expect(parseSampleSizeQuery({ baseline: '0.1', mde: '0.2' })).toEqual({ baseline: 0.1, mde: 0.2, mdeType: 'relative', alpha: 0.05, power: 0.8, variants: 2 })
    expect(() => parseSampleSizeQuery({ baseline: 'x', mde: '0.2' })).toThrow('baseline: baseline must be a number')
  })
})
