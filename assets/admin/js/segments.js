// Results by segment (the `segments` of GET /v1/experiments/:key/results, src/results/segments.ts):
// per dimension the balance table with its χ² check, the Simpson check and the exploratory lifts.
import { h } from './dom.js'
import { interval, num, pct, pValue, signedPct } from './format.js'

/** The segments section, or null when the results have none. */
export function segmentsSection(e, r) {
  const s = r.segments
  if (e.state === 'draft' || !s || !s.dimensions.length) return null
  return h(
    'section',
    { 'aria-labelledby': 'segments', id: 'segments-section' },
    h('h2', { id: 'segments' }, 'Segments ', h('span', { class: 'muted small' }, 'exploratory')),
    h('p', { class: 'muted small' }, s.note),
    s.dimensions.map((d) => dimension(d, r, s.metric)),
  )
}

function dimension(d, r, metric) {
  const id = `segment-${d.dimension}`
  const variants = r.metrics[0]?.variants.map((v) => v.variant) ?? Object.keys(d.values[0]?.units ?? {})
  const treatments = variants.filter((v) => v !== r.control)
  const b = d.balance
  const balanceText =
    b.pValue == null ? `No balance check yet: ${b.reason ?? 'too few values'}.` : `χ² = ${num(b.chiSquare, 3)}, df = ${b.df}, p = ${pValue(b.pValue)}: ${b.flagged ? 'the variants’ mix differs by ' + d.dimension + ' (p < 0.001): randomisation looks broken' : 'balanced'}.`
  const paradox = d.simpson.filter((x) => x.paradox)
  const head = ['Value', ...variants.map((v) => `${v} units (share)`), ...treatments.map((t) => `${t}: relative lift [CI]${metric ? ` on ${metric}` : ''}`), ...treatments.map((t) => `${t}: p (adjusted)`)]
  const rows = d.values.map((v) => {
    const lift = (t) => v.lifts.find((l) => l.variant === t)
    return h(
      'tr',
      { 'data-value': v.value },
      h('th', { scope: 'row', 'data-label': head[0] }, v.value),
      [
        ...variants.map((x) => `${v.units[x].toLocaleString('en-US')} (${pct(v.share[x], 1)})`),
        ...treatments.map((t) => (lift(t) ? [signedPct(lift(t).relative.estimate), ' ', h('span', { class: 'ci' }, interval(lift(t).relative.ci, signedPct))] : '')),
        ...treatments.map((t) => (lift(t) ? [pValue(lift(t).pValue), lift(t).adjustedPValue != null ? h('span', { class: 'ci' }, ` (${pValue(lift(t).adjustedPValue)})`) : ''] : '')),
      ].map((content, i) => h('td', { 'data-label': head[i + 1], class: 'num' }, content === '' ? '' : h('span', {}, content))),
    )
  })
  return h(
    'section',
    { class: 'metric', 'aria-labelledby': id, 'data-dimension': d.dimension },
    h('h3', { id }, d.dimension),
    h('div', { class: `notice${b.flagged ? ' error' : ''}`, 'data-balance': b.flagged ? 'flagged' : 'ok' }, h('p', {}, h('strong', {}, 'Balance '), balanceText)),
    paradox.map((x) => h('div', { class: 'notice error', 'data-simpson': x.variant }, h('p', {}, x.text))),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data cards results' },
        h('caption', { class: 'visually-hidden' }, `Balance and lifts by ${d.dimension}`),
        h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows),
      ),
    ),
  )
}

/**
 * The segment lifts in the shape the forest plot draws (charts.js forestPlot): one "metric" per
 * dimension value, each treatment's relative lift and CI.
 */
export function segmentForest(r) {
  const metrics = (r.segments?.dimensions ?? []).flatMap((d) =>
    d.values.filter((v) => v.lifts.some((l) => l.relative.ci)).map((v) => ({ name: `${d.dimension} = ${v.value}`, variants: v.lifts.map((l) => ({ variant: l.variant, comparison: { relative: l.relative } })) })),
  )
  // At most 40 rows, so a 50-value attribute does not make a plot taller than the page.
  return { control: r.control, alpha: r.alpha, metrics: metrics.slice(0, 40) }
}
