// The experiments list: key, title, state, variants with weights, coverage, exposures per variant
// (current epoch), the SRM check and the last change. Narrow screens show each row as a card.
import { api } from './api.js'
import { enc, h } from './dom.js'
import { srmBadge, stateBadge, shares, controlOf } from './experiment-bits.js'
import { ago, pct } from './format.js'

const COLUMNS = ['Experiment', 'State', 'Variants and weights', 'Coverage', 'Exposures', 'SRM', 'Last change']

/** Renders the list into `view`. */
export async function render(view) {
  const { data } = await api('/v1/experiments')
  const experiments = data.experiments
  if (!experiments.length) {
    view.replaceChildren(
      h('div', { class: 'notice' }, h('p', {}, 'No experiments yet. ', h('a', { href: '/admin/experiments/new' }, 'Create the first one'), '.')),
    )
    return
  }
  // A draft has counted nothing; every other experiment's exposures and SRM come with its results.
  const results = await Promise.all(
    experiments.map((e) => (e.epoch > 0 ? api(`/v1/experiments/${enc(e.key)}/results`).then((r) => r.data, () => null) : null)),
  )
  const rows = experiments.map((e, i) => row(e, results[i]))
  view.replaceChildren(
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: '/admin/experiments/new' }, 'New experiment')),
    h(
      'table',
      { class: 'data cards', id: 'experiments' },
      h('caption', { class: 'visually-hidden' }, `${experiments.length} experiments`),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows),
    ),
  )
}

function row(e, r) {
  const control = controlOf(e)
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content)
  const observed = r?.srm.observed
  return h(
    'tr',
    { 'data-key': e.key },
    h('th', { scope: 'row', 'data-label': 'Experiment' }, h('a', { href: `/admin/experiments/${enc(e.key)}` }, e.key), h('span', { class: 'subtitle' }, e.title)),
    cell('State', stateBadge(e)),
    cell('Variants and weights', h('ul', { class: 'plain' }, shares(e).map((v) => h('li', {}, `${v.key}${v.key === control ? ' (control)' : ''}: ${pct(v.share, 0)}`)))),
    cell('Coverage', pct(e.coverage, 0)),
    cell('Exposures', observed ? h('ul', { class: 'plain' }, e.variants.map((v) => h('li', {}, `${v.key}: ${(observed[v.key] ?? 0).toLocaleString('en-US')}`))) : h('span', { class: 'muted' }, e.epoch > 0 ? '—' : 'not started')),
    cell('SRM', e.epoch > 0 ? srmBadge(r?.srm) : h('span', { class: 'muted' }, '—')),
    cell('Last change', h('time', { datetime: e.updatedAt, title: e.updatedAt }, ago(e.updatedAt))),
  )
}
