// The results of an experiment's current epoch: the verdict, the SRM check and one table per metric
// (GET /v1/experiments/:key/results, src/results/types.ts). Empty and early states say why.
import { h } from './dom.js'
import { srmBadge } from './experiment-bits.js'
import { absoluteLift, interval, metricValue, num, pct, pValue, signedPct } from './format.js'

const EXPLAIN = {
  no_data: 'Units are counted the first time they are served a variant (GET /v1/assign, or a page view through the site middleware); events count only for those units.',
  keep_running:
    'The always-valid sequential test may call a winner at any time; the fixed-horizon p-value is trusted only once every variant reaches the planned sample size, so peeking early cannot mislead.',
  srm: 'The split between variants does not match the weights: look for a bug in assignment, exposure logging or bot filtering before reading anything else.',
}

/** The results section: state notes, verdict, SRM check and a table per metric. */
export function resultsSection(e, r) {
  const parts = [h('h2', { id: 'results' }, 'Results')]
  if (e.state === 'draft') {
    parts.push(h('div', { class: 'notice', id: 'verdict' }, h('p', {}, 'Not started yet: start the experiment to assign units and count exposures. Results appear here.')))
    return h('section', { 'aria-labelledby': 'results' }, parts)
  }
  const note = stateNote(e)
  if (note) parts.push(h('p', { class: 'muted' }, note))
  parts.push(
    h(
      'div',
      { class: `notice verdict status-${r.verdict.status}`, id: 'verdict', role: 'status' },
      h('p', {}, h('strong', {}, 'Verdict: '), r.verdict.text),
      EXPLAIN[r.verdict.status] && h('p', { class: 'muted' }, EXPLAIN[r.verdict.status]),
    ),
    srmBlock(r),
    ...r.metrics.map((m) => metricTable(m, r)),
  )
  return h('section', { 'aria-labelledby': 'results' }, parts)
}

function stateNote(e) {
  const restart = e.epoch > 1 ? [...e.allocations].reverse().find((a) => a.epoch === e.epoch)?.at : null
  const epoch = restart ? `Epoch ${e.epoch}, since the restart at ${restart.slice(0, 16).replace('T', ' ')} UTC: only units assigned since then count. ` : ''
  if (e.state === 'paused') return `${epoch}Paused: nothing is counted until it resumes.`
  if (e.state === 'rollout') return `${epoch}Rolled out ${e.rolloutVariant} to everyone: nothing more is counted.`
  if (e.state === 'stopped') return `${epoch}Stopped: these results are final.`
  return epoch || null
}

function srmBlock(r) {
  const s = r.srm
  const observed = Object.entries(s.observed).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(' · ')
  const expected = s.expected ? Object.entries(s.expected).map(([k, n]) => `${k} ${num(n, 4)}`).join(' · ') : null
  const text =
    s.pValue == null
      ? `No check yet: ${s.reason ?? 'no exposures'}.`
      : `Exposures ${observed}; expected from the weights ${expected}. χ² = ${num(s.chiSquare, 3)}, p = ${pValue(s.pValue)}: ${s.mismatch ? 'mismatch (p < 0.001)' : 'no mismatch'}.`
  return h('div', { class: `srm notice${s.mismatch ? ' error' : ''}`, id: 'srm' }, h('p', {}, h('strong', {}, 'Sample ratio check '), srmBadge(s), ' ', text))
}

const rate = (type) => type === 'binomial' || type === 'retention'

const COLUMNS = (type) => [
  'Variant',
  'Units',
  rate(type) ? 'Converted' : type === 'ratio' ? 'Numerator / denominator' : 'Total',
  rate(type) ? 'Rate' : type === 'ratio' ? 'Ratio' : 'Mean',
  'Absolute lift [CI]',
  'Relative lift [CI]',
  'p-value (adjusted)',
  'Sequential p',
  'Chance to beat control',
  'Verdict',
]

/** One metric's table: a row per variant, comparisons against the control. */
function metricTable(m, r) {
  const id = `metric-${m.key}`
  const columns = COLUMNS(m.type)
  const rows = m.variants.map((v) => {
    const c = v.comparison
    const cells = [
      v.n.toLocaleString('en-US'),
      rate(m.type) ? v.converters.toLocaleString('en-US') : m.type === 'ratio' ? `${num(v.numerator)} / ${num(v.denominator)}` : num(v.value == null ? null : v.value * v.n),
      metricValue(m.type, v.value),
      ...(c
        ? [
            [absoluteLift(m.type, c.absolute.estimate), ' ', h('span', { class: 'ci' }, interval(c.absolute.ci, (x) => absoluteLift(m.type, x)))],
            [signedPct(c.relative.estimate), ' ', h('span', { class: 'ci' }, interval(c.relative.ci, signedPct))],
            [pValue(c.pValue), c.adjustedPValue != null ? h('span', { class: 'ci' }, ` (${pValue(c.adjustedPValue)})`) : ''],
            pValue(c.sequential.pValue),
            pct(c.chanceToBeatControl, 1),
            rowVerdict(c),
          ]
        : [h('span', { class: 'muted' }, 'control'), '', '', '', '', '']),
    ]
    return h(
      'tr',
      { 'data-variant': v.variant },
      h('th', { scope: 'row', 'data-label': columns[0] }, v.variant),
      cells.map((content, i) => h('td', { 'data-label': columns[i + 1], class: i < 8 ? 'num' : null }, content === '' ? '' : h('span', {}, content))),
    )
  })
  const reasons = [...new Set(m.variants.map((v) => v.comparison?.reason).filter(Boolean))]
  return h(
    'section',
    { class: 'metric', 'aria-labelledby': id, 'data-metric': m.key },
    h('h3', { id }, m.name, ' ', h('span', { class: 'muted small' }, `${m.role} · ${m.type} · event "${m.event}"${m.window ? ` · window ${m.window.start}–${m.window.end} s, ${m.maturing} units maturing` : ''}`)),
    h('p', { class: `verdict-line status-${m.verdict.status}` }, m.verdict.text),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data cards results' },
        h('caption', { class: 'visually-hidden' }, `${m.name}: ${m.verdict.text}`),
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows),
      ),
    ),
    reasons.length ? h('p', { class: 'muted small' }, `Not computed: ${reasons.join('; ')}.`) : null,
    h('p', { class: 'muted small' }, `Intervals are ${pct(1 - r.alpha, 0)} confidence intervals; p-values adjusted by ${r.correction === 'holm' ? 'Holm' : 'Benjamini–Hochberg'} across variants and metrics.`),
  )
}

function rowVerdict(c) {
  if (c.significant) return (c.absolute.estimate ?? 0) >= 0 ? 'better' : 'worse'
  if (c.pValue == null) return 'not enough data'
  return 'not significant yet'
}
