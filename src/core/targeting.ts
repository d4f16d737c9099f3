import type { DeviceClass } from './device'
import type { Condition, Targeting } from './experiment'
import { compileGlob } from './pattern'
import { compileSafeRegex } from './safe-regex'

/** Attribute values a caller may send. */
export type AttributeValue = string | number | boolean

/** What targeting can see about one request. */
export type TargetingContext = {
  country?: string
  device: DeviceClass
  path?: string
  host?: string
  attributes: Readonly<Record<string, AttributeValue>>
}

/** A compiled targeting rule: true when the request may enter the experiment. */
export type TargetingPredicate = (ctx: TargetingContext) => boolean

/**
 * Compiles targeting once per config load so the hot path only runs prepared predicates.
 * All listed conditions must hold; a path or host rule fails when the request has none.
 * @example compileTargeting({ countries: ['US'] })({ country: 'US', device: 'desktop', attributes: {} }) // true
 */
export function compileTargeting(t: Targeting | null | undefined): TargetingPredicate {
  if (!t) return () => true
  const checks: TargetingPredicate[] = []
  if (t.countries?.length) {
    const countries = new Set(t.countries)
    checks.push((c) => c.country !== undefined && countries.has(c.country.toUpperCase()))
  }
  if (t.devices?.length) {
    const devices = new Set<string>(t.devices)
    checks.push((c) => devices.has(c.device))
  }
  if (t.paths?.length) {
    const patterns = t.paths.map(compileGlob)
    checks.push((c) => c.path !== undefined && patterns.some((p) => p.test(c.path!)))
  }
  if (t.hosts?.length) {
    const patterns = t.hosts.map(compileGlob)
    checks.push((c) => c.host !== undefined && patterns.some((p) => p.test(c.host!)))
  }
  for (const condition of t.attributes ?? []) checks.push(compileCondition(condition))
  if (checks.length === 0) return () => true
  return (c) => checks.every((check) => check(c))
}

function compileCondition({ attribute, op, value }: Condition): TargetingPredicate {
  const get = (c: TargetingContext) => c.attributes[attribute]
  switch (op) {
    case 'exists':
      return (c) => (get(c) !== undefined) === (value ?? true)
    case 'eq':
      return (c) => get(c) === value
    case 'neq':
      return (c) => get(c) !== value
    case 'in':
      return (c) => (value as AttributeValue[]).includes(get(c) as AttributeValue)
    case 'nin':
      return (c) => !(value as AttributeValue[]).includes(get(c) as AttributeValue)
    case 'gt':
      return (c) => typeof get(c) === 'number' && (get(c) as number) > (value as number)
    case 'gte':
      return (c) => typeof get(c) === 'number' && (get(c) as number) >= (value as number)
    case 'lt':
      return (c) => typeof get(c) === 'number' && (get(c) as number) < (value as number)
    case 'lte':
      return (c) => typeof get(c) === 'number' && (get(c) as number) <= (value as number)
    case 'contains':
      return (c) => typeof get(c) === 'string' && (get(c) as string).includes(String(value))
    case 'regex': {
      // Linear-time matcher on the first 1024 characters: a rule must never stall assignment (src/core/safe-regex.ts).
      const re = compileSafeRegex(value as string)
      return (c) => typeof get(c) === 'string' && re.test(get(c) as string)
    }
  }
}
