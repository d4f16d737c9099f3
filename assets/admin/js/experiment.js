// One experiment: what it is, the lifecycle moves it allows, and its results with charts.
import { api } from './api.js'
import { chartsAvailable, forestPlot, metricCharts } from './charts.js'
import { enc, h, setTitle, uid } from './dom.js'
import { controlOf, fallbackOf, shares, stateBadge } from './experiment-bits.js'
import { ago, pct } from './format.js'
import { lifecycleButtons } from './lifecycle.js'
import { resultsSection } from './results.js'
import { segmentForest, segmentsSection } from './segments.js'

let cleanup = () => {}

/** Renders the experiment page; `flash` is announced after a lifecycle move. */
export async function render(view, key, flash) {
  const [{ data: e, etag }, { data: r }] = await Promise.all([api(`/v1/experiments/${enc(key)}`), api(`/v1/experiments/${enc(key)}/results`)])
  cleanup()
  setTitle(e.title)
  const after = (to) => render(view, key, `Done: the experiment is now ${to === 'rollout' ? 'rolled out' : to}.`)
  const status = h('p', { id: 'status', role: 'status', class: flash ? 'notice good' : 'visually-hidden' }, flash ?? '')
  const charts = h('div', { class: 'charts' })
  view.replaceChildren(
    status,
    h('p', { class: 'meta' }, h('code', {}, e.key), ' ', stateBadge(e), ' ', h('span', { class: 'muted' }, `version ${e.version}, changed `, h('time', { datetime: e.updatedAt, title: e.updatedAt }, ago(e.updatedAt)))),
    e.description ? h('p', {}, e.description) : null,
    h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': 'Actions' },
      e.state !== 'stopped' ? h('a', { class: 'button secondary', href: `/admin/experiments/${enc(e.key)}/edit` }, 'Edit') : null,
      lifecycleButtons(e, etag, (to) => after(to)),
      h('a', { class: 'button link', href: sampleSizeLink(e, r) }, 'Plan the sample size'),
    ),
    summary(e),
    resultsSection(e, r),
    segmentsSection(e, r),
    e.state === 'draft' ? null : h('section', { 'aria-labelledby': 'charts-title' }, h('h2', { id: 'charts-title' }, 'Charts'), charts),
  )
  if (flash) document.getElementById('main').focus()
  if (e.state !== 'draft') cleanup = drawCharts(charts, r)
}

/** The charts of the chosen metric (primary first) and the forest plot of all lifts. */
function drawCharts(box, r) {
  if (!chartsAvailable()) {
    box.append(h('p', { class: 'notice error' }, 'The charting library did not load (assets/admin/vendor is filled by `npm install`).'))
    return () => {}
  }
  const id = uid('metric')
  const select = h('select', { id }, r.metrics.map((m) => h('option', { value: m.key }, m.name)))
  const series = h('div', { class: 'chart-grid' })
  const forest = h('div', {})
  if (r.metrics.length > 1) box.append(h('div', { class: 'field inline-field' }, h('label', { for: id }, 'Metric shown in the charts'), select))
  box.append(series, forest)
  // The results carry the primary metric's daily series; another metric's are asked for when it is chosen.
  let drawn = () => {}
  let shown = null
  const show = async (metricKey) => {
    shown = metricKey
    if (!(metricKey in r.series)) {
      try {
        const { data } = await api(`/v1/experiments/${enc(r.experiment)}/results?series=${encodeURIComponent(metricKey)}`)
        r.series[metricKey] = data.series[metricKey] ?? []
      } catch (error) {
        if (shown !== metricKey) return
        drawn()
        drawn = () => {}
        series.replaceChildren(h('p', { class: 'notice error' }, `The daily series could not be read: ${error.message}`))
        return
      }
    }
    if (shown !== metricKey) return // another metric was chosen meanwhile
    drawn()
    drawn = metricCharts(series, r, metricKey)
  }
  if (r.metrics.length) show(r.metrics[0].key)
  select.addEventListener('change', () => show(select.value))
  const plotted = forestPlot(forest, r)
  const bySegment = h('div', {})
  box.append(bySegment)
  const segmented = r.segments?.dimensions.length
    ? forestPlot(bySegment, segmentForest(r), `Exploratory: relative lift against ${r.control} by segment, with ${pct(1 - r.alpha, 0)} simultaneous (Bonferroni) intervals; the dashed line is no change`, 'chart-segment-forest')
    : () => {}
  return () => {
    shown = null
    drawn()
    drawn = () => {}
    plotted()
    segmented()
  }
}

function summary(e) {
  const control = controlOf(e)
  const fallback = fallbackOf(e)
  const row = (term, ...detail) => [h('dt', {}, term), h('dd', {}, ...detail)]
  const t = e.targeting
  const targeting = t
    ? [
        t.countries?.length && `countries ${t.countries.join(', ')}`,
        t.devices?.length && `devices ${t.devices.join(', ')}`,
        t.paths?.length && `paths ${t.paths.join(', ')}`,
        t.hosts?.length && `hosts ${t.hosts.join(', ')}`,
        ...(t.attributes ?? []).map((c) => `${c.attribute} ${c.op}${c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`}`),
      ].filter(Boolean)
    : []
  return h(
    'dl',
    { class: 'summary card' },
    row(
      'Variants',
      h(
        'ul',
        { class: 'plain' },
        shares(e).map((v) =>
          h('li', {}, `${v.key}: weight ${v.weight} (${pct(v.share, 0)})`, v.key === control ? ' · control' : '', v.key === fallback ? ' · fallback' : ''),
        ),
      ),
    ),
    row('Coverage', `${pct(e.coverage, 0)} of eligible units enter`),
    row('Metrics', e.metrics.length ? h('ul', { class: 'plain' }, e.metrics.map((m) => h('li', {}, `${m.name ?? m.key}: ${m.type} on "${m.event}" (${m.role})${m.cap ? `, capped at ${m.cap}` : ''}`))) : 'none'),
    row('Targeting', targeting.length ? targeting.join('; ') : 'everyone'),
    row('Layer', e.layer ? `${e.layer.id}, slice [${e.layer.start}, ${e.layer.end})` : 'none'),
    row('QA overrides', e.qaOverrides ? `allowed: ?edgesplit=${e.key}:<variant>` : 'off'),
    row('Analysis', `α ${e.alpha}, power ${pct(e.power, 0)}, minimum detectable effect ${pct(e.minDetectableEffect, 0)} (relative), ${e.correction}`),
    row('Epoch', e.epoch ? `${e.epoch} (started ${(e.startedAt ?? '').slice(0, 16).replace('T', ' ')} UTC${e.endedAt ? `, ended ${e.endedAt.slice(0, 16).replace('T', ' ')} UTC` : ''})` : 'not started'),
  )
}

/** The calculator pre-filled with this experiment's settings and its control's observed rate. */
function sampleSizeLink(e, r) {
  const primary = r.metrics.find((m) => m.role === 'primary') ?? r.metrics[0]
  const rate = primary?.type === 'binomial' ? primary.variants.find((v) => v.variant === r.control)?.value : null
  const q = new URLSearchParams({ baseline: String(rate && rate < 1 ? Number(rate.toPrecision(3)) : 0.1), mde: String(e.minDetectableEffect), alpha: String(e.alpha), power: String(e.power), variants: String(e.variants.length) })
  return `/admin/sample-size?${q}`
}
