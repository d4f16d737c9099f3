import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { jsonValue } from '../../../src/core/json-value'
import { describeIssues } from '../../../src/core/validate'
import { type JsonSchema, toJsonSchema } from '../../../src/http/json-schema'

/** The lines a refusal gives, or the parsed value. */
function outcome(schema: z.ZodMiniType, input: unknown): unknown {
  const result = schema.safeParse(input)
  return result.success ? { ok: result.data } : { refused: describeIssues(result.error.issues) }
}

class Box {
  v = 1
}

describe('jsonValue', () => {
  it('should accept and refuse exactly what z.json() does, with the same message', () => {
    const ours = z.strictObject({ value: jsonValue() })
    const zods = z.strictObject({ value: z.json() })
    const odd = [undefined, Number.NaN, Number.POSITIVE_INFINITY, new Date(0), new Box(), Object.create(null), [1, undefined], { a: () => 1 }, { a: { b: [Number.NaN] } }, BigInt(1), Symbol('s')]
    for (const [i, value] of odd.entries()) expect(outcome(ours, { value }), `odd[${i}]`).toEqual(outcome(zods, { value }))
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (value) => {
        expect(outcome(ours, { value })).toEqual(outcome(zods, { value }))
      }),
    )
    expect(outcome(ours, {})).toEqual(outcome(zods, {}))
  })

  it('should be described in /openapi.json as z.json() is: a named recursive union', () => {
    const describe = (s: z.ZodMiniType) => {
      const sink = { schemas: {} as Record<string, JsonSchema>, prefix: 'T', count: 0, named: new Map() }
      return { root: toJsonSchema(z.object({ a: s, b: z.optional(s) }), 'output', sink), schemas: sink.schemas }
    }
    expect(describe(jsonValue())).toEqual(describe(z.json()))
  })
})
