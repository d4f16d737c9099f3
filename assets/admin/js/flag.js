// One flag: the editor (type, default, enabled, description, the rules in order with their `when`
// and `serve` as JSON) saved with PUT and If-Match, API validation errors next to each field, and
// the flag's history of versions.
import { api } from './api.js'
import { enc, h, setTitle, uid } from './dom.js'
import { clearErrors, showErrors } from './errors.js'
import { ago } from './format.js'

/** A labelled control whose errors show under it (`data-path` is the API's field path). */
function field(path, label, control) {
  const id = control.id || (control.id = uid())
  const error = h('p', { class: 'field-error', id: `${id}-error` })
  control.setAttribute('aria-describedby', error.id)
  return h('div', { class: 'field', 'data-path': path }, h('label', { for: id }, label), control, error)
}

const json = (value) => (value === undefined ? '' : JSON.stringify(value, null, 1))

/** Renders the editor (and, for an existing flag, its history) into `view`. */
export async function render(view, key) {
  // A new flag saves with If-Match "0" (not yet created), so it never replaces one of the same key.
  const loaded = key ? await api(`/v1/flags/${enc(key)}`) : { data: { type: 'boolean', default: false, enabled: true, rules: [] }, etag: '"0"' }
  let etag = loaded.etag
  const f = loaded.data
  const keyInput = h('input', { name: 'key', value: key ?? '', required: true, readonly: key ? true : null })
  const type = h('select', { name: 'type' }, ['boolean', 'string', 'number', 'json'].map((t) => h('option', { value: t, selected: t === f.type }, t)))
  const def = h('textarea', { name: 'default', rows: 2 }, json(f.default))
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: f.enabled })
  const description = h('input', { name: 'description', value: f.description ?? '' })
  const rules = h('ol', { class: 'rules' })
  const addRule = (r = { id: `rule-${rules.children.length + 1}`, serve: { value: f.default } }) => {
    const i = rules.children.length
    const item = h(
      'li',
      { class: 'card', 'data-path': `rules[${i}]` },
      field(`rules[${i}].id`, `Rule ${i + 1} id`, h('input', { name: 'id', value: r.id })),
      field(`rules[${i}].when`, 'When (targeting JSON, empty: everyone)', h('textarea', { name: 'when', rows: 2 }, r.when ? json(r.when) : '')),
      field(`rules[${i}].serve`, 'Serve ({"value"}, {"rollout": [{"value", "weight"}]} or {"experiment"})', h('textarea', { name: 'serve', rows: 2 }, json(r.serve))),
      h('p', { class: 'field-error' }),
      h('button', { type: 'button', onclick: () => (item.remove(), renumber()) }, `Remove rule ${i + 1}`),
    )
    rules.append(item)
  }
  // Paths follow positions, so removing a rule renumbers the ones after it.
  const renumber = () => [...rules.children].forEach((li, i) => {
    li.dataset.path = `rules[${i}]`
    for (const el of li.querySelectorAll('.field')) el.dataset.path = el.dataset.path.replace(/^rules\[\d+\]/, `rules[${i}]`)
  })
  for (const r of f.rules) addRule(r)
  const summary = h('div', { class: 'error-summary', tabindex: '-1', role: 'alert', hidden: true })
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    summary,
    field('key', 'Key', keyInput),
    field('type', 'Type', type),
    field('default', 'Default (JSON)', def),
    field('enabled', 'Enabled', enabled),
    field('description', 'Description', description),
    h('h2', {}, 'Rules, in order (the first that matches decides)'),
    h('div', { 'data-path': 'rules' }, rules, h('p', { class: 'field-error' })),
    h('p', { class: 'actions' }, h('button', { type: 'button', onclick: () => addRule() }, 'Add rule'), h('button', { type: 'submit', class: 'primary' }, 'Save')),
  )
  const history = h('section', { id: 'history' })
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearErrors(form)
    const problems = []
    const parse = (text, path, empty) => {
      if (text.trim() === '') return empty
      try {
        return JSON.parse(text)
      } catch {
        problems.push(`${path}: not valid JSON`)
      }
    }
    const body = {
      type: type.value,
      default: parse(def.value, 'default', null),
      enabled: enabled.checked,
      rules: [...rules.children].map((li, i) => {
        const [id, when, serve] = ['id', 'when', 'serve'].map((n) => li.querySelector(`[name="${n}"]`).value)
        const rule = { id, serve: parse(serve, `rules[${i}].serve`, null) }
        const w = parse(when, `rules[${i}].when`, undefined)
        if (w !== undefined) rule.when = w
        return rule
      }),
    }
    if (description.value.trim()) body.description = description.value
    if (f.tags) body.tags = f.tags
    if (problems.length) return showErrors(form, { message: problems[0], details: problems })
    try {
      const saved = await api(`/v1/flags/${enc(keyInput.value)}`, { method: 'PUT', body, etag })
      etag = saved.etag
      if (!key) return location.assign(`/admin/flags/${enc(saved.data.key)}`)
      await showHistory(history, key)
      summary.hidden = false
      summary.replaceChildren(h('p', {}, `Saved as version ${saved.data.version}.`))
    } catch (error) {
      showErrors(form, error)
    }
  })
  setTitle(key ? `Flag ${key}` : 'New flag')
  view.replaceChildren(form, history)
  if (key) await showHistory(history, key)
}

/** The flag's changes, newest first: version, time, action, enabled. */
async function showHistory(section, key) {
  const { data } = await api(`/v1/flags/${enc(key)}/history`)
  section.replaceChildren(
    h('h2', {}, 'History'),
    h(
      'table',
      { class: 'data' },
      h('thead', {}, h('tr', {}, ['Version', 'When', 'Change', 'State'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, data.changes.map((c) => h('tr', {}, h('td', {}, `v${c.version}`), h('td', {}, h('time', { datetime: c.at, title: c.at }, ago(c.at))), h('td', {}, c.action), h('td', {}, c.flag ? (c.flag.enabled ? 'on' : 'off') : 'deleted')))),
    ),
  )
}
