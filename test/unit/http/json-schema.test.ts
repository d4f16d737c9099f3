import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { NumberPairSchema } from '../../../src/core/number-pair'
import { type JsonSchema, type JsonSchemaSink, toJsonSchema } from '../../../src/http/json-schema'

const sink = (schemas: Record<string, JsonSchema> = {}): JsonSchemaSink => ({ schemas, prefix: 'T', count: 0, named: new Map() })

describe('toJsonSchema', () => {
  it('should describe an object field by field, with the keys a client must send and those an answer always has', () => {
    const s = z.strictObject({ a: z.string(), b: z.optional(z.number()), c: z._default(z.int(), 2), d: z.nullable(z.boolean()) })
    expect(toJsonSchema(s, 'input', sink())).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'integer', default: 2 }, d: { anyOf: [{ type: 'boolean' }, { type: 'null' }] } },
      required: ['a', 'd'],
      additionalProperties: false,
    })
    expect(toJsonSchema(s, 'output', sink()).required).toEqual(['a', 'c', 'd'])
  })

  it('should describe enums, literals, tuples, records, unions and a pipe by its side', () => {
    expect(toJsonSchema(z.enum(['x', 'y']), 'output', sink())).toEqual({ enum: ['x', 'y'] })
    expect(toJsonSchema(z.literal('ok'), 'output', sink())).toEqual({ const: 'ok' })
    expect(toJsonSchema(z.tuple([z.number(), z.number()]), 'output', sink())).toEqual({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2, maxItems: 2 })
    expect(toJsonSchema(z.record(z.string(), z.array(z.string())), 'output', sink())).toEqual({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } })
    expect(toJsonSchema(z.union([z.string(), z.number()]), 'output', sink())).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] })
    const pipe = z.pipe(z.string(), z.transform(Number))
    expect(toJsonSchema(pipe, 'input', sink())).toEqual({ type: 'string' })
    expect(toJsonSchema(z.unknown(), 'output', sink())).toEqual({})
  })

  it('should describe a number pair as the two-number tuple a zod tuple would be, and accept only such pairs', () => {
    const tuple = toJsonSchema(z.tuple([z.number(), z.number()]), 'output', sink())
    expect(toJsonSchema(NumberPairSchema, 'output', sink())).toEqual(tuple)
    expect(toJsonSchema(z.nullable(NumberPairSchema), 'output', sink())).toEqual({ anyOf: [tuple, { type: 'null' }] })
    expect([[0.1, 0.2], [1], [1, 2, 3], ['1', 2], null].map((v) => NumberPairSchema.safeParse(v).success)).toEqual([true, false, false, false, false])
  })

  it('should name a recursive schema once and refer to it, so the conversion ends', () => {
    type Node = { children: Node[] }
    const NodeSchema: z.ZodMiniType<Node> = z.object({ children: z.array(z.lazy(() => NodeSchema)) })
    const schemas: Record<string, JsonSchema> = {}
    const out = toJsonSchema(NodeSchema, 'output', sink(schemas))
    expect(out).toEqual({ type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/T_1' } } }, required: ['children'] })
    expect(schemas.T_1).toEqual(out)
  })
})
