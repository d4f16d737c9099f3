// Form building blocks. Every control has a visible label; every field carries the API's path for
// it in `data-path` (see errors.js) and an error slot the control is described by.
import { h, uid } from './dom.js'

/** A labelled field: label, control, optional help, error slot. `name` keys a field inside a row. */
export function field({ path, name, label, control, help, className }) {
  const id = uid()
  control.id = id
  const describedBy = [help ? `${id}-help` : null, `${id}-error`].filter(Boolean).join(' ')
  control.setAttribute('aria-describedby', describedBy)
  const check = control.type === 'checkbox'
  return h(
    'div',
    { class: `field${check ? ' check' : ''}${className ? ` ${className}` : ''}`, 'data-path': path ?? null, 'data-field': name ?? null },
    check ? null : h('label', { for: id }, label),
    control,
    check ? h('label', { for: id }, label) : null,
    help ? h('p', { class: 'help', id: `${id}-help` }, help) : null,
    h('p', { class: 'field-error', id: `${id}-error` }),
  )
}

/** A text input (type `text` unless given). */
export function input(value, attrs = {}) {
  return h('input', { type: 'text', value: value ?? '', ...attrs })
}

/** A number input that accepts any decimal. */
export function numberInput(value, attrs = {}) {
  return h('input', { type: 'number', step: 'any', inputmode: 'decimal', value: value ?? '', ...attrs })
}

/** A select with `options` ([value, label] pairs or plain values) and the current value chosen. */
export function select(value, options, attrs = {}) {
  return h(
    'select',
    attrs,
    options.map((o) => {
      const [v, label] = Array.isArray(o) ? o : [o, o]
      return h('option', { value: v, selected: v === value }, label)
    }),
  )
}

/** A checkbox. */
export function checkbox(checked, attrs = {}) {
  return h('input', { type: 'checkbox', checked: !!checked, ...attrs })
}

/**
 * An editable list (variants, metrics, conditions): a group whose rows are fieldsets numbered in
 * order, with their fields' paths renumbered (`variants[1].weight`) whenever a row comes or goes.
 */
export function rowList({ path, noun, legend, help, values, makeFields, fixed = false, onChange = () => {} }) {
  const rows = h('div', { class: 'rows' })
  let built = false
  const renumber = () => {
    ;[...rows.children].forEach((row, i) => {
      row.dataset.path = `${path}[${i}]`
      row.querySelector('legend').textContent = `${noun} ${i + 1}`
      for (const f of row.querySelectorAll(':scope > .field')) f.dataset.path = `${path}[${i}].${f.dataset.field}`
      row.querySelector('.remove')?.setAttribute('aria-label', `Remove ${noun.toLowerCase()} ${i + 1}`)
    })
    if (built) onChange()
  }
  const addRow = (value) => {
    const row = h('fieldset', { class: 'field row' }, h('legend', {}, noun), makeFields(value), h('p', { class: 'field-error' }))
    if (!fixed) {
      row.append(
        h('button', { type: 'button', class: 'remove secondary small', onclick: () => {
          const next = row.nextElementSibling ?? row.previousElementSibling
          row.remove()
          renumber()
          ;(next?.querySelector('input, select') ?? addButton).focus()
        } }, 'Remove'),
      )
    }
    rows.append(row)
    renumber()
    return row
  }
  const addButton = h('button', { type: 'button', class: 'secondary small', onclick: () => addRow({}).querySelector('input, select')?.focus() }, `Add ${noun.toLowerCase()}`)
  values.forEach(addRow)
  built = true
  const group = h('fieldset', { class: 'field group', 'data-path': path }, h('legend', {}, legend), help ? h('p', { class: 'help' }, help) : null, h('p', { class: 'field-error' }), rows, fixed ? null : addButton)
  /** The rows' values, as `{ fieldName: string | boolean }` objects. */
  const read = () =>
    [...rows.children].map((row) =>
      Object.fromEntries([...row.querySelectorAll(':scope > .field')].map((f) => {
        const control = f.querySelector('input, select, textarea')
        return [f.dataset.field, control.type === 'checkbox' ? control.checked : control.value]
      })),
    )
  return { group, read, rows }
}
