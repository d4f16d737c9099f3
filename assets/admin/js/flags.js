// The flags list: key, type, enabled, the rules in order, the last change, and the kill switch
// (one confirmed click: POST /v1/flags/:key/disable, or /enable to undo).
import { api } from './api.js'
import { enc, h, showError } from './dom.js'
import { ago } from './format.js'

const COLUMNS = ['Flag', 'Type', 'State', 'Rules', 'Last change', 'Kill switch']

/** One line per rule: its id, whether it targets, and what it serves. */
export function ruleSummary(rule) {
  const s = rule.serve
  const what = 'value' in s ? `serves ${JSON.stringify(s.value)}` : 'rollout' in s ? `rollout ${s.rollout.map((r) => `${r.weight}% ${JSON.stringify(r.value)}`).join(', ')}` : `experiment ${s.experiment}`
  return `${rule.id}: ${rule.when ? 'targeted, ' : ''}${what}`
}

/** Renders the list into `view`. */
export async function render(view) {
  const { data } = await api('/v1/flags/_all')
  const actions = h('p', { class: 'actions' }, h('a', { class: 'button primary', href: '/admin/flags/new' }, 'New flag'))
  if (!data.flags.length) {
    view.replaceChildren(actions, h('div', { class: 'notice' }, h('p', {}, 'No flags yet.')))
    return
  }
  view.replaceChildren(
    actions,
    h(
      'table',
      { class: 'data cards', id: 'flags' },
      h('caption', { class: 'visually-hidden' }, `${data.flags.length} flags`),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, data.flags.map((f) => row(view, f))),
    ),
  )
}

function row(view, f) {
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content)
  const toggle = async () => {
    const action = f.enabled ? 'disable' : 'enable'
    const question = f.enabled ? `Turn "${f.key}" off? Everyone gets its default (${JSON.stringify(f.default)}).` : `Turn "${f.key}" back on?`
    if (!confirm(question)) return
    try {
      await api(`/v1/flags/${enc(f.key)}/${action}`, { method: 'POST' })
      await render(view)
    } catch (error) {
      showError(view, error)
    }
  }
  return h(
    'tr',
    { 'data-key': f.key },
    h('th', { scope: 'row', 'data-label': 'Flag' }, h('a', { href: `/admin/flags/${enc(f.key)}` }, f.key), f.description ? h('span', { class: 'subtitle' }, f.description) : null),
    cell('Type', f.type),
    cell('State', h('span', { class: `badge ${f.enabled ? 'ok' : 'warn'}` }, f.enabled ? 'on' : 'off')),
    cell('Rules', f.rules.length ? h('ol', { class: 'plain' }, f.rules.map((r) => h('li', {}, ruleSummary(r)))) : h('span', { class: 'muted' }, `default ${JSON.stringify(f.default)}`)),
    cell('Last change', h('time', { datetime: f.updatedAt, title: f.updatedAt }, `v${f.version}, ${ago(f.updatedAt)}`)),
    cell('Kill switch', h('button', { type: 'button', class: f.enabled ? 'danger' : '', 'data-action': f.enabled ? 'disable' : 'enable', onclick: toggle }, f.enabled ? 'Turn off' : 'Turn on')),
  )
}
