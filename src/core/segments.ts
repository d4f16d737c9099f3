/**
 * Segments: the dimensions a unit's exposure is broken down by (docs/design.md, "Segments"), their
 * values as captured at first exposure, and the counter fields kept per (dimension, value, variant).
 * Pure, shared by both stores (which write the fields) and the results code (which reads them).
 *
 * Field names (beside the RawCounters of src/core/counters.ts, which older readers skip):
 *   gx|<epoch>|<dim>|<value>|<variant>            exposures (units) in the segment
 *   g<k>|<epoch>|<dim>|<value>|<variant>|<metric> for k in n, s, q, sy, qy, p: the metric's
 *                                                 sufficient statistics, as the overall n|…, s|…
 * Dimensions and values never contain `|` (values that would are `(other)`).
 */

/** The dimensions every experiment has; declared attributes come after them. */
export const BUILTIN_DIMENSIONS = ['country', 'device'] as const

/** Most values kept per dimension and experiment; the rest count as OTHER. */
export const MAX_SEGMENT_VALUES = 50

/** The value standing for every value beyond the first MAX_SEGMENT_VALUES, and for unusable ones. */
export const OTHER = '(other)'

/** The value of a dimension the request did not carry. */
export const UNKNOWN = '(unknown)'

/** What a unit's segments are read from at its first exposure. */
export type SegmentSource = { readonly country?: string; readonly device: string; readonly attributes: Readonly<Record<string, unknown>> }

/** A unit's segment values, dimension → value, in dimension order. */
export type SegmentValues = Record<string, string>

// Values are short printable text; anything else (a `|`, control characters, 64+ characters) is OTHER.
const VALUE = /^[^|\u0000-\u001f\u007f]{1,64}$/

/**
 * A unit's segment values: country (upper-case), device class, and each declared attribute
 * (strings, numbers and booleans as text; absent as UNKNOWN).
 * @example segmentValues(['plan'], { country: 'de', device: 'mobile', attributes: { plan: 'pro' } }) // { country: 'DE', device: 'mobile', plan: 'pro' }
 */
export function segmentValues(declared: readonly string[] | undefined, source: SegmentSource): SegmentValues {
  const out: SegmentValues = { country: source.country ? value(source.country.toUpperCase()) : UNKNOWN, device: value(source.device) }
  for (const dim of declared ?? []) {
    const raw = Object.hasOwn(source.attributes, dim) ? source.attributes[dim] : undefined
    out[dim] = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? value(String(raw)) : UNKNOWN
  }
  return out
}

function value(text: string): string {
  return VALUE.test(text) ? text : OTHER
}

// The overall counter kinds a segment mirrors (per unit sums, not the per-day forms).
const MIRRORED = new Set(['n', 's', 'q', 'sy', 'qy', 'p'])

/** Exposures of a variant in one segment. */
export function segmentExposureField(epoch: number, dim: string, val: string, variant: string): string {
  return `gx|${epoch}|${dim}|${val}|${variant}`
}

/**
 * The segment form of an overall metric counter (`n|1|A|buy` → `gn|1|country|DE|A|buy`), or null
 * for fields a segment does not mirror (per-day and exposure fields).
 * @example segmentField('s|1|A|revenue', 'device', 'mobile') // 'gs|1|device|mobile|A|revenue'
 */
export function segmentField(counter: string, dim: string, val: string): string | null {
  const bar = counter.indexOf('|')
  const kind = counter.slice(0, bar)
  if (!MIRRORED.has(kind)) return null
  const rest = counter.slice(bar + 1)
  const bar2 = rest.indexOf('|')
  return `g${kind}|${rest.slice(0, bar2)}|${dim}|${val}|${rest.slice(bar2 + 1)}`
}

/** One segment's counters by variant: units, and per metric the sufficient statistics. */
export type SegmentCounters = Record<string, { n: number; metrics: Record<string, Record<string, number>> }>

/** Segment counters of one epoch: dimension → value → variant. */
export type ParsedSegments = Record<string, Record<string, SegmentCounters>>

const PARTS: Record<string, string> = { gn: 'converters', gs: 'sum', gq: 'sumSq', gsy: 'sumY', gqy: 'sumSqY', gp: 'sumXY' }

/**
 * The segment counters of one epoch, nested, with each dimension bounded to its MAX_SEGMENT_VALUES
 * values with the most units (ties by name) and the rest folded into OTHER: every counter is a sum
 * over units, so folding is exact, and it bounds the table however many values the shards admitted
 * (each shard admits up to MAX_SEGMENT_VALUES on its own).
 */
export function parseSegments(raw: Readonly<Record<string, number>>, epoch: number): ParsedSegments {
  const out: ParsedSegments = {}
  const cell = (dim: string, val: string, variant: string) => {
    const values = (out[dim] ??= {})
    const seg = (values[val] ??= {})
    return (seg[variant] ??= { n: 0, metrics: {} })
  }
  const prefix = `|${epoch}|`
  for (const name in raw) {
    if (name[0] !== 'g') continue
    const bar = name.indexOf('|')
    const kind = name.slice(0, bar)
    if (!name.startsWith(prefix, bar) || !Number.isFinite(raw[name])) continue
    const parts = name.slice(bar + prefix.length).split('|')
    const v = raw[name]!
    if (kind === 'gx' && parts.length === 3) cell(parts[0]!, parts[1]!, parts[2]!).n += v
    else if (PARTS[kind] && parts.length === 4) {
      const m = (cell(parts[0]!, parts[1]!, parts[2]!).metrics[parts[3]!] ??= {})
      m[PARTS[kind]!] = (m[PARTS[kind]!] ?? 0) + v
    }
  }
  for (const dim in out) out[dim] = bounded(out[dim]!)
  return out
}

function units(seg: SegmentCounters): number {
  let n = 0
  for (const v in seg) n += seg[v]!.n
  return n
}

function bounded(values: Record<string, SegmentCounters>): Record<string, SegmentCounters> {
  const names = Object.keys(values)
  if (names.length <= MAX_SEGMENT_VALUES) return values
  const ranked = names.filter((n) => n !== OTHER).sort((a, b) => units(values[b]!) - units(values[a]!) || (a < b ? -1 : 1))
  const out: Record<string, SegmentCounters> = {}
  for (const name of ranked.slice(0, MAX_SEGMENT_VALUES - 1)) out[name] = values[name]!
  const other: SegmentCounters = {}
  for (const name of [...ranked.slice(MAX_SEGMENT_VALUES - 1), ...(values[OTHER] ? [OTHER] : [])]) {
    for (const [variant, c] of Object.entries(values[name]!)) {
      const into = (other[variant] ??= { n: 0, metrics: {} })
      into.n += c.n
      for (const [metric, parts] of Object.entries(c.metrics)) {
        const m = (into.metrics[metric] ??= {})
        for (const [k, x] of Object.entries(parts)) m[k] = (m[k] ?? 0) + x
      }
    }
  }
  out[OTHER] = other
  return out
}
