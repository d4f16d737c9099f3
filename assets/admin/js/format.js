// Number formatting for tables and charts; null (not computable) is always shown as an em dash.
const DASH = '—'

/** 0.1234 → "12.3%". */
export function pct(x, digits = 1) {
  return x == null ? DASH : `${(x * 100).toFixed(digits)}%`
}

/** 0.05 → "+5.0%", with a real minus sign for negatives. */
export function signedPct(x, digits = 1) {
  return x == null ? DASH : sign(x, `${Math.abs(x * 100).toFixed(digits)}%`)
}

/** A plain number with a sensible number of significant digits. */
export function num(x, digits = 4) {
  if (x == null) return DASH
  if (Number.isInteger(x)) return x.toLocaleString('en-US')
  return Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 })
}

/** A signed plain number: "+0.42", "−1.3". */
export function signedNum(x, digits = 3) {
  return x == null ? DASH : sign(x, num(Math.abs(x), digits))
}

/** A p-value: tiny ones as "< 0.0001". */
export function pValue(p) {
  if (p == null) return DASH
  if (p < 0.0001) return '< 0.0001'
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)
}

/** An interval with the same formatter as its estimate: "[−1.0%, +3.2%]". */
export function interval(ci, format) {
  return ci ? `[${format(ci[0])}, ${format(ci[1])}]` : ''
}

/** A metric's value: a rate for binomial metrics, a mean otherwise. */
export function metricValue(type, x) {
  return type === 'binomial' || type === 'retention' ? pct(x, 2) : num(x)
}

/** An absolute difference: in percentage points for rates, plain for means. */
export function absoluteLift(type, x) {
  if (x == null) return DASH
  return type === 'binomial' || type === 'retention' ? sign(x, `${Math.abs(x * 100).toFixed(2)} pp`) : signedNum(x)
}

/** "3 minutes ago" for an ISO timestamp. */
export function ago(iso) {
  const seconds = (Date.now() - Date.parse(iso)) / 1000
  if (!Number.isFinite(seconds)) return DASH
  const steps = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [30, 'day'],
    [12, 'month'],
    [Infinity, 'year'],
  ]
  let value = Math.max(0, seconds)
  for (const [size, unit] of steps) {
    if (value < size) {
      const n = Math.floor(value)
      return n === 0 && unit === 'second' ? 'just now' : `${n} ${unit}${n === 1 ? '' : 's'} ago`
    }
    value /= size
  }
  return DASH
}

function sign(x, magnitude) {
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${magnitude}`
}
