// Create and edit an experiment. The form's fields mirror the API's body (ExperimentCreateSchema in
// src/core/experiment.ts); the server validates, and its messages appear next to the fields.
// Once an experiment has started, variant keys and the layer are frozen (they would move units),
// and changing weights keeps enrolled units where they are: the form says so.
import { api } from './api.js'
import { checkbox, field, input, numberInput, rowList, select } from './controls.js'
import { enc, h, setTitle } from './dom.js'
import { clearErrors, showErrors } from './errors.js'

const DEVICES = ['mobile', 'tablet', 'desktop'] // src/core/device.ts
const OPS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains', 'regex', 'exists'] // src/core/experiment.ts
const NEW = {
  variants: [
    { key: 'control', weight: 50 },
    { key: 'treatment', weight: 50 },
  ],
  metrics: [{ key: 'conversion', type: 'binomial', event: 'conversion', role: 'primary' }],
  coverage: 1,
  qaOverrides: false,
  alpha: 0.05,
  power: 0.8,
  minDetectableEffect: 0.1,
  correction: 'holm',
}

/** Renders the form: empty for a new experiment, filled from the API for `key`. */
export async function render(view, key) {
  let e = NEW
  let etag = null
  if (key) ({ data: e, etag } = await api(`/v1/experiments/${enc(key)}`))
  if (key) setTitle(`Edit ${e.title}`)
  const started = !!key && e.epoch > 0
  const form = h('form', { id: 'experiment-form', class: 'experiment-form', novalidate: true })
  const summary = h('div', { class: 'error-summary notice error', tabindex: '-1', hidden: true })

  // Basics
  const keyInput = input(e.key, { autocomplete: 'off', spellcheck: 'false', required: !key, readonly: !!key })
  const title = input(e.title, { required: true })
  const description = h('textarea', { rows: '2' }, e.description ?? '')
  const basics = h(
    'fieldset',
    { class: 'card' },
    h('legend', {}, 'Experiment'),
    field({ path: 'key', label: 'Key', control: keyInput, help: key ? 'The key cannot change.' : 'Used in the API, cookies and headers: letters, digits, "_", "." or "-".' }),
    field({ path: 'title', label: 'Title', control: title }),
    field({ path: 'description', label: 'Description (optional)', control: description }),
  )

  // Variants, weights and the fallback
  const fallback = select(e.fallback ?? e.control ?? e.variants[0]?.key, e.variants.map((v) => v.key))
  const weightsChanged = h('p', { class: 'warn-text', role: 'status', id: 'weights-changed' })
  const originalWeights = e.variants.map((v) => String(v.weight))
  const variants = rowList({
    path: 'variants',
    noun: 'Variant',
    legend: 'Variants and weights',
    help: 'The first variant is the control. Weights are relative: 50 and 50 split evenly.',
    values: e.variants,
    fixed: started,
    onChange: () => syncFallback(),
    makeFields: (v) => [
      field({ name: 'key', label: 'Key', control: input(v.key, { required: true, readonly: started, autocomplete: 'off', spellcheck: 'false', oninput: () => syncFallback() }) }),
      field({ name: 'weight', label: 'Weight', control: numberInput(v.weight, { min: '0', required: true, oninput: () => weightsMoved() }) }),
      field({ name: 'name', label: 'Name (optional)', control: input(v.name) }),
      field({ name: 'url', label: 'Split URL (optional)', control: input(v.url, { placeholder: '/landing-b' }) }),
      field({ name: 'payload', label: 'Payload JSON (optional)', control: input(v.payload === undefined ? '' : JSON.stringify(v.payload), { spellcheck: 'false', placeholder: '{"color":"#d4af37"}' }) }),
    ],
  })
  function syncFallback() {
    const keys = variants.read().map((v) => v.key.trim()).filter(Boolean)
    const current = fallback.value
    fallback.replaceChildren(...keys.map((k) => h('option', { value: k, selected: k === current }, k)))
  }
  function weightsMoved() {
    if (!started) return
    const moved = variants.read().some((v, i) => v.weight !== originalWeights[i])
    weightsChanged.textContent = moved ? 'You changed the weights: units already in the experiment keep their variants; only units assigned from now on follow the new weights.' : ''
  }
  if (started) {
    variants.group.insertBefore(
      h(
        'div',
        { class: 'notice warn', id: 'weights-warning' },
        h('p', {}, `This experiment has ${e.state === 'stopped' ? 'ended' : 'started'}: units already assigned keep their variants (sticky assignment). New weights apply only to units assigned from now on, and the SRM check compares each unit with the weights it was assigned under. Variant keys and their order can no longer change.`),
        weightsChanged,
      ),
      variants.rows,
    )
  }
  const coverage = numberInput(e.coverage, { min: '0', max: '1' })

  // Metrics
  const metrics = rowList({
    path: 'metrics',
    noun: 'Metric',
    legend: 'Metrics',
    help: 'Binomial: did the unit send the event. Mean: the per-unit total of the event\'s value. Exactly one metric is primary.',
    values: e.metrics,
    makeFields: (m) => [
      field({ name: 'key', label: 'Key', control: input(m.key, { required: true, autocomplete: 'off', spellcheck: 'false' }) }),
      field({ name: 'event', label: 'Event name', control: input(m.event, { required: true, autocomplete: 'off', spellcheck: 'false' }) }),
      field({ name: 'type', label: 'Type', control: select(m.type ?? 'binomial', ['binomial', 'mean']) }),
      field({ name: 'role', label: 'Role', control: select(m.role ?? 'secondary', ['primary', 'secondary', 'guardrail']) }),
      field({ name: 'cap', label: 'Cap (mean only, optional)', control: numberInput(m.cap, { min: '0' }) }),
      field({ name: 'name', label: 'Name (optional)', control: input(m.name) }),
    ],
  })

  // Layer
  const layerId = input(e.layer?.id, { readonly: started, autocomplete: 'off' })
  const layerStart = numberInput(e.layer?.start, { min: '0', max: '1', readonly: started })
  const layerEnd = numberInput(e.layer?.end, { min: '0', max: '1', readonly: started })
  const layer = h(
    'fieldset',
    { class: 'field group', 'data-path': 'layer' },
    h('legend', {}, 'Mutual-exclusion layer (optional)'),
    h('p', { class: 'help' }, `Experiments in one layer never share a unit: each owns a slice [start, end) of the layer's hash.${started ? ' The layer cannot change once started.' : ''}`),
    h('p', { class: 'field-error' }),
    h('div', { class: 'inline-fields' }, field({ path: 'layer.id', label: 'Layer id', control: layerId }), field({ path: 'layer.start', label: 'Start (0–1)', control: layerStart }), field({ path: 'layer.end', label: 'End (0–1)', control: layerEnd })),
  )

  // Targeting
  const t = e.targeting ?? {}
  const countries = input((t.countries ?? []).join(', '), { placeholder: 'US, CA', autocomplete: 'off' })
  const paths = input((t.paths ?? []).join(', '), { placeholder: '/checkout/*', autocomplete: 'off' })
  const hosts = input((t.hosts ?? []).join(', '), { placeholder: 'shop.example.com', autocomplete: 'off' })
  const devices = DEVICES.map((d) => checkbox(t.devices?.includes(d), { value: d, name: 'device' }))
  const conditions = rowList({
    path: 'targeting.attributes',
    noun: 'Condition',
    legend: 'Attribute conditions',
    help: 'On attributes the caller sends (attr.<name>=…). Lists for "in"/"nin" are comma-separated; numbers and true/false are typed, quote them to compare text.',
    values: t.attributes ?? [],
    makeFields: (c) => [
      field({ name: 'attribute', label: 'Attribute', control: input(c.attribute, { autocomplete: 'off' }) }),
      field({ name: 'op', label: 'Operator', control: select(c.op ?? 'eq', OPS) }),
      field({ name: 'value', label: 'Value', control: input(showValue(c.value)) }),
    ],
  })
  const targeting = h(
    'fieldset',
    { class: 'card field', 'data-path': 'targeting' },
    h('legend', {}, 'Targeting (optional: everyone when empty)'),
    h('p', { class: 'field-error' }),
    field({ path: 'targeting.countries', label: 'Countries', control: countries, help: 'ISO codes, comma-separated.' }),
    h(
      'fieldset',
      { class: 'field group', 'data-path': 'targeting.devices' },
      h('legend', {}, 'Devices'),
      h('p', { class: 'field-error' }),
      h('div', { class: 'inline-fields' }, devices.map((box, i) => field({ label: DEVICES[i], control: box }))),
    ),
    field({ path: 'targeting.paths', label: 'Paths', control: paths, help: 'Patterns starting with "/", "*" matches anything; comma-separated.' }),
    field({ path: 'targeting.hosts', label: 'Hosts', control: hosts, help: 'Comma-separated.' }),
    conditions.group,
  )

  const qa = checkbox(e.qaOverrides)
  const alpha = numberInput(e.alpha, { min: '0', max: '0.5' })
  const power = numberInput(e.power, { min: '0', max: '1' })
  const mde = numberInput(e.minDetectableEffect, { min: '0' })
  const correction = select(e.correction ?? 'holm', [
    ['holm', 'Holm'],
    ['benjamini-hochberg', 'Benjamini–Hochberg'],
  ])
  const submit = h('button', { type: 'submit', class: 'primary' }, key ? 'Save changes' : 'Create experiment')

  form.append(
    summary,
    basics,
    h('fieldset', { class: 'card' }, h('legend', {}, 'Traffic'), variants.group, field({ path: 'fallback', label: 'Fallback variant', control: fallback, help: 'Served to units outside the experiment and while it is paused or stopped.' }), field({ path: 'coverage', label: 'Coverage (0–1)', control: coverage, help: 'Share of eligible units that enter; raising it never moves anyone.' }), layer),
    h('fieldset', { class: 'card' }, h('legend', {}, 'Measurement'), metrics.group),
    targeting,
    h('fieldset', { class: 'card' }, h('legend', {}, 'Quality assurance'), field({ path: 'qaOverrides', label: 'Allow QA overrides (?edgesplit=key:variant); forced units are never counted', control: qa })),
    h(
      'details',
      { class: 'card' },
      h('summary', {}, 'Analysis settings'),
      h(
        'div',
        { class: 'inline-fields' },
        field({ path: 'alpha', label: 'Significance level α', control: alpha }),
        field({ path: 'power', label: 'Power', control: power }),
        field({ path: 'minDetectableEffect', label: 'Minimum detectable effect (relative)', control: mde }),
        field({ path: 'correction', label: 'Multiple-comparison correction', control: correction }),
      ),
    ),
    h('div', { class: 'actions' }, submit, h('a', { class: 'button secondary', href: key ? `/admin/experiments/${enc(key)}` : '/admin' }, 'Cancel')),
  )

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearErrors(form)
    const problems = []
    const body = {
      title: title.value.trim(),
      description: description.value.trim() || (key && e.description ? '' : undefined),
      variants: variants.read().map((v, i) => ({
        key: v.key.trim(),
        weight: number(v.weight),
        name: optional(v.name),
        url: optional(v.url),
        payload: json(v.payload, `variants[${i}].payload`, problems),
      })),
      fallback: optional(fallback.value),
      coverage: number(coverage.value),
      metrics: metrics.read().map((m) => ({ key: m.key.trim(), event: m.event.trim(), type: m.type, role: m.role, cap: number(m.cap), name: optional(m.name) })),
      layer: layerId.value.trim() || layerStart.value || layerEnd.value ? { id: layerId.value.trim(), start: number(layerStart.value), end: number(layerEnd.value) } : key ? null : undefined,
      targeting: readTargeting() ?? (key ? null : undefined),
      qaOverrides: qa.checked,
      alpha: number(alpha.value),
      power: number(power.value),
      minDetectableEffect: number(mde.value),
      correction: correction.value,
    }
    if (!key) body.key = keyInput.value.trim()
    if (problems.length) return showErrors(form, { details: problems })
    submit.disabled = true
    try {
      const { data } = key ? await api(`/v1/experiments/${enc(key)}`, { method: 'PATCH', body, etag }) : await api('/v1/experiments', { method: 'POST', body })
      location.assign(`/admin/experiments/${enc(data.key)}`)
    } catch (error) {
      submit.disabled = false
      if (error.status === 401) return
      if (error.status === 412) error.message = 'Someone else changed this experiment after you opened it: reload the page to edit the current version (your changes are not saved).'
      showErrors(form, error)
    }
  })

  function readTargeting() {
    const out = {}
    const lists = { countries: countries.value, paths: paths.value, hosts: hosts.value }
    for (const [name, value] of Object.entries(lists)) {
      const items = value.split(/[\s,]+/).filter(Boolean)
      if (items.length) out[name] = items
    }
    const chosen = devices.filter((d) => d.checked).map((d) => d.value)
    if (chosen.length) out.devices = chosen
    const attributes = conditions.read().filter((c) => c.attribute.trim() || c.value.trim())
    if (attributes.length) out.attributes = attributes.map((c) => ({ attribute: c.attribute.trim(), op: c.op, value: conditionValue(c.op, c.value) }))
    return Object.keys(out).length ? out : null
  }

  view.replaceChildren(form)
}

function optional(s) {
  return s.trim() === '' ? undefined : s.trim()
}

/** A number, or undefined when empty (the server then says the field is required). */
function number(s) {
  return s.trim() === '' ? undefined : Number(s)
}

function json(s, path, problems) {
  if (s.trim() === '') return undefined
  try {
    return JSON.parse(s)
  } catch (error) {
    problems.push(`${path}: not valid JSON (${error.message})`)
  }
}

/** A condition's value from its text, typed by the operator (src/core/experiment.ts ConditionSchema). */
function conditionValue(op, s) {
  if (op === 'in' || op === 'nin') return s.split(',').map((x) => x.trim()).filter(Boolean).map(scalar)
  return s.trim() === '' ? undefined : scalar(s)
}

function scalar(s) {
  const t = s.trim()
  if (/^".*"$/.test(t)) return t.slice(1, -1)
  if (t === 'true' || t === 'false') return t === 'true'
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t
}

/** The inverse of conditionValue, for editing. */
function showValue(v) {
  if (v === undefined) return ''
  const one = (x) => (typeof x === 'string' && scalar(x) !== x ? `"${x}"` : String(x))
  return Array.isArray(v) ? v.map(one).join(', ') : one(v)
}
