// Server validation errors next to the fields they are about. The API's 400 body lists one line per
// problem, `variants[0].weight: weight must be greater than 0`; each field of a form carries the
// same path in `data-path`, so a line finds its field, or else the nearest enclosing group.
import { h } from './dom.js'

const LINE = /^([A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*): (.+)$/s

/** Splits an error line into the path it is about ('' for the whole request) and the message. */
export function splitLine(line) {
  const m = LINE.exec(line)
  return m ? { path: m[1], message: m[2] } : { path: '', message: line }
}

/** Removes every error shown in `form`. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = ''
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid')
  const summary = form.querySelector('.error-summary')
  if (summary) {
    summary.hidden = true
    summary.replaceChildren()
  }
}

/** The field (or group) that shows errors for `path`: itself, else the closest ancestor path. */
function fieldFor(form, path) {
  for (let p = path; p; ) {
    const field = form.querySelector(`[data-path="${CSS.escape(p)}"]`)
    if (field) return field
    const shorter = p.replace(/(\[\d+\]|\.[^.[\]]+)$/, '')
    if (shorter === p) break
    p = shorter
  }
  return null
}

/**
 * Shows an ApiError (or any `{ message, details }`) in `form`: each line next to its field, with the
 * control marked invalid, and all of them in the form's summary, which takes the focus.
 */
export function showErrors(form, error) {
  clearErrors(form)
  const lines = error.details?.length ? error.details : [error.message]
  const items = lines.map((line) => {
    const { path, message } = splitLine(line)
    const field = path ? fieldFor(form, path) : null
    const out = field?.querySelector(':scope > .field-error')
    if (!out) return h('li', {}, line)
    out.textContent = out.textContent ? `${out.textContent}; ${message}` : message
    const control = field.querySelector(':scope > input, :scope > select, :scope > textarea')
    control?.setAttribute('aria-invalid', 'true')
    const target = control ?? field.querySelector('input, select, textarea')
    return h('li', {}, target?.id ? h('a', { href: `#${target.id}` }, line) : line)
  })
  const summary = form.querySelector('.error-summary')
  if (!summary) return
  summary.replaceChildren(h('h2', {}, items.length === 1 ? 'One problem to fix' : `${items.length} problems to fix`), h('ul', {}, items))
  summary.hidden = false
  summary.focus()
}
