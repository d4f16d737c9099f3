import type * as z from 'zod/mini'
import { NumberPairSchema } from '../core/number-pair'

/** A JSON Schema object (draft 2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = Record<string, unknown>

/** Where a conversion puts the schemas a reference points to (recursive ones), and under which prefix. */
export type JsonSchemaSink = { schemas: Record<string, JsonSchema>; prefix: string; count: number; named: Map<unknown, string> }

type Def = {
  type: string
  [k: string]: any
}

/**
 * The JSON Schema of a zod schema's structure: types, properties, required keys, nullability,
 * defaults and literals (checks such as lengths and patterns are left to the validators). Written
 * here rather than zod's toJSONSchema, which costs about 7 KiB of the Worker's gzipped bundle for a
 * document only /openapi.json reads. Recursive (`z.lazy`) parts become their own named schemas in
 * `sink`, referenced as `#/components/schemas/<name>`. `io`: a request body as a client may send it
 * (fields with defaults optional, a pipe's input), a response as sent.
 * @example toJsonSchema(z.object({ a: z.string() }), 'output', sink) // { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], … }
 */
export function toJsonSchema(schema: z.core.$ZodType, io: 'input' | 'output', sink: JsonSchemaSink): JsonSchema {
  if (schema === NumberPairSchema) return { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2, maxItems: 2 }
  const def = schema._zod.def as Def
  const inner = (s: z.core.$ZodType) => toJsonSchema(s, io, sink)
  switch (def.type) {
    case 'string':
      return { type: 'string' }
    case 'number':
      return { type: typeof def.format === 'string' && def.format.includes('int') ? 'integer' : 'number' }
    case 'boolean':
      return { type: 'boolean' }
    case 'null':
      return { type: 'null' }
    case 'literal':
      return def.values.length === 1 ? { const: def.values[0] } : { enum: def.values }
    case 'enum':
      return { enum: Object.values(def.entries) }
    case 'array':
      return { type: 'array', items: inner(def.element) }
    case 'tuple':
      return { type: 'array', prefixItems: def.items.map(inner), ...(def.rest ? { items: inner(def.rest) } : { minItems: def.items.length, maxItems: def.items.length }) }
    case 'record':
      return { type: 'object', additionalProperties: inner(def.valueType) }
    case 'union':
      return { anyOf: def.options.map(inner) }
    case 'nullable':
      return { anyOf: [inner(def.innerType), { type: 'null' }] }
    case 'optional':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
    case 'prefault':
      return inner(def.innerType)
    case 'default':
      return { ...inner(def.innerType), default: def.defaultValue }
    case 'pipe':
      return inner(io === 'input' ? def.in : def.out)
    case 'lazy':
      return lazy(schema, def, io, sink)
    case 'object':
      return object(def, io, sink)
    default:
      // unknown, any, transforms and custom checks: any JSON value.
      return {}
  }
}

function object(def: Def, io: 'input' | 'output', sink: JsonSchemaSink): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  for (const [key, value] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
    properties[key] = toJsonSchema(value, io, sink)
    // zod marks a key a client may omit as optin 'optional' or 'defaulted', one an answer may lack as optout 'optional'.
    if (!(io === 'input' ? value._zod.optin : value._zod.optout)) required.push(key)
  }
  const catchall = def.catchall as z.core.$ZodType | undefined
  const rest = !catchall ? {} : (catchall._zod.def as Def).type === 'never' ? { additionalProperties: false } : {}
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...rest }
}

function lazy(schema: z.core.$ZodType, def: Def, io: 'input' | 'output', sink: JsonSchemaSink): JsonSchema {
  let name = sink.named.get(schema)
  if (!name) {
    name = `${sink.prefix}_${++sink.count}`
    sink.named.set(schema, name)
    // Named before its body is converted, so a schema that contains itself refers to this name.
    sink.schemas[name] = {}
    sink.schemas[name] = toJsonSchema(def.getter(), io, sink)
  }
  return { $ref: `#/components/schemas/${name}` }
}
