import type * as z from 'zod/mini'

// zod's English locale (zod/v4/locales/en.js) costs ~0.4 KiB gzipped more, mostly a table of string
// formats (email, uuid, ISO dates, prefixes, …) and issues (multiples, map and set elements, record
// keys other than strings, discriminated unions) no schema here uses: string checks other than a
// pattern print "Invalid <format>", and those issues, like a plain union's, say "Invalid input".
// test/unit/core/zod-messages.test.ts checks each message our schemas can raise is word for word
// what that locale says.
// Sizes of the origins our schemas bound (no file, set or map schema here).
const UNITS: Record<string, string> = { string: 'characters', array: 'items' }

// zod's own helpers (zod/v4/core/util.js) sit behind a namespace export that keeps all of util.js in the bundle.
const show = (v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? `"${v}"` : `${v as string}`)
const list = (values: readonly unknown[], separator: string) => values.map(show).join(separator)

// The received type as zod names it: NaN and ±Infinity by value, class instances by their constructor.
function typeName(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : String(v)
  if (typeof v !== 'object' || v === null) return v === null ? 'null' : typeof v
  if (Array.isArray(v)) return 'array'
  return Object.getPrototypeOf(v) !== Object.prototype && 'constructor' in v && v.constructor ? (v.constructor as { name: string }).name : 'object'
}

// "to have <=3 characters" for sized origins, "to be <=3" otherwise.
const bound = (origin: string | undefined, adj: string, limit: { toString(): string }) =>
  `expected ${origin} to ${origin && UNITS[origin] ? `have ${adj}${limit} ${UNITS[origin]}` : `be ${adj}${limit}`}`

/**
 * English messages for zod issues, as zod's `en` locale words them (zod/mini ships none).
 * @example z.config({ localeError: zodMessage })
 */
export function zodMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected === 'nan' ? 'NaN' : issue.expected}, received ${typeName(issue.input)}`
    case 'invalid_value':
      return issue.values.length === 1 ? `Invalid input: expected ${show(issue.values[0])}` : `Invalid option: expected one of ${list(issue.values, '|')}`
    case 'too_big':
      return `Too big: ${bound(issue.origin ?? 'value', issue.exact ? 'exactly ' : issue.inclusive ? '<=' : '<', issue.maximum)}`
    case 'too_small':
      return `Too small: ${bound(issue.origin, issue.exact ? 'exactly ' : issue.inclusive ? '>=' : '>', issue.minimum)}`
    case 'invalid_format':
      return issue.format === 'regex' ? `Invalid string: must match pattern ${issue.pattern}` : `Invalid ${issue.format}`
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${list(issue.keys, ', ')}`
    default:
      return 'Invalid input'
  }
}
