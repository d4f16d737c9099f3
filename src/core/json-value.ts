import * as z from 'zod/mini'

/** A JSON value, as `z.json()` types it. */
export type JsonValue = z.output<ReturnType<typeof z.json>>

/** The schemas jsonValue() made: src/http/json-schema.ts describes each as z.json()'s recursive union. */
export const JSON_VALUE_SCHEMAS = new WeakSet<object>()

// What z.json() accepts: strings, finite numbers, booleans, null, and arrays and plain objects (as
// zod's util.isPlainObject tells them) of those.
function isJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
  if (typeof v === 'number') return Number.isFinite(v)
  if (Array.isArray(v)) return v.every(isJson)
  if (typeof v !== 'object') return false
  const ctor = (v as { constructor?: unknown }).constructor
  const proto = typeof ctor === 'function' ? (ctor.prototype as unknown) : undefined
  const plain = typeof ctor !== 'function' || (typeof proto === 'object' && proto !== null && !Array.isArray(proto) && Object.hasOwn(proto, 'isPrototypeOf'))
  if (!plain) return false
  for (const key in v) if (!isJson((v as Record<string, unknown>)[key])) return false
  return true
}

/**
 * Any JSON value (a payload, a flag's value): accepts what `z.json()` accepts, refusing anything else
 * with the same "Invalid input". Not z.json() itself, whose lazy union of six schemas costs ~0.3 KiB
 * of the Worker's gzipped bundle; /openapi.json describes both the same way.
 * @example z.strictObject({ value: jsonValue() })
 */
export function jsonValue(): z.ZodMiniType<JsonValue> {
  const schema = z.custom<JsonValue>(isJson)
  JSON_VALUE_SCHEMAS.add(schema)
  return schema
}
