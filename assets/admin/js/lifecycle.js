// Lifecycle buttons and their confirmations. Only the moves the server allows are offered (the
// table comes from src/core/lifecycle.ts through <body data-transitions>), and each confirmation
// says what the move does to users and to the analysis (SPEC "Experiment lifecycle").
import { api } from './api.js'
import { enc, h, uid } from './dom.js'
import { fallbackOf } from './experiment-bits.js'

const ALLOWED = JSON.parse(document.body.dataset.transitions || '{}')

/** The buttons for every move allowed from the experiment's state; `done(to)` runs after a move. */
export function lifecycleButtons(e, etag, done) {
  return (ALLOWED[e.state] ?? []).map((to) => {
    const { label, danger } = describe(e, to)
    const button = h('button', { type: 'button', class: danger ? 'danger' : 'secondary', 'data-transition': to }, label)
    button.addEventListener('click', () => confirmMove(e, etag, to, button, done))
    return button
  })
}

/** What a move is called and what it does, in words for the confirmation. */
export function describe(e, to, variant) {
  const fallback = fallbackOf(e)
  const from = e.state
  if (to === 'running' && from === 'draft') {
    return {
      label: 'Start',
      title: `Start ${e.key}?`,
      users: `Units that match the targeting and coverage get a variant by hash from now on and keep it; everyone else gets ${fallback}.`,
      analysis: 'Counting begins (epoch 1): exposures and events are analysed from now on.',
    }
  }
  if (to === 'running') {
    return {
      label: from === 'paused' ? 'Resume (restart)' : 'Restart',
      title: `Restart ${e.key}?`,
      users: 'Units get their variants again; units assigned before keep the variant they had.',
      analysis: `This is a restart: epoch ${e.epoch + 1} begins and the results start from zero. Only units assigned from now on count; earlier units are excluded.`,
    }
  }
  if (to === 'paused') {
    return {
      label: 'Pause',
      title: `Pause ${e.key}?`,
      users: `Everyone gets the fallback variant, ${fallback}, until the experiment resumes. Assignments are kept.`,
      analysis: 'Nothing is counted while paused. Resuming is a restart: a new epoch whose results start from zero.',
    }
  }
  if (to === 'rollout') {
    return {
      label: from === 'rollout' ? 'Roll out another variant' : 'Roll out a variant',
      title: `Roll out a variant of ${e.key}?`,
      users: `Everyone gets ${variant ?? 'the chosen variant'}: units already in the experiment, and everyone else too.`,
      analysis: 'Nothing is recorded from now on; the results stay as they are. A later restart begins a new epoch.',
    }
  }
  return {
    label: 'Stop',
    danger: true,
    title: `Stop ${e.key}?`,
    users: `Everyone gets the fallback variant, ${fallback}, for good.`,
    analysis: 'Counting ends and the experiment is final: it can never run again. The results stay readable.',
  }
}

/** Opens the confirmation for one move; confirming posts the transition with If-Match. */
function confirmMove(e, etag, to, trigger, done) {
  const info = describe(e, to)
  const titleId = uid('dlg')
  const errorId = uid('dlg-error')
  const users = h('p', {}, h('strong', {}, 'For users: '), h('span', {}, info.users))
  const error = h('p', { class: 'field-error', id: errorId, role: 'alert' })
  let select = null
  if (to === 'rollout') {
    const id = uid('rollout')
    const choices = e.variants.filter((v) => !(e.state === 'rollout' && v.key === e.rolloutVariant))
    select = h('select', { id, name: 'variant', required: true }, choices.map((v) => h('option', { value: v.key }, v.key)))
    select.addEventListener('change', () => (users.lastChild.textContent = describe(e, to, select.value).users))
    users.lastChild.textContent = describe(e, to, select.value).users
  }
  const confirm = h('button', { type: 'submit', class: info.danger ? 'danger' : 'primary' }, info.label)
  const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel')
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: titleId }, info.title),
    users,
    h('p', {}, h('strong', {}, 'For the analysis: '), info.analysis),
    select && h('div', { class: 'field' }, h('label', { for: select.id }, 'Variant to give everyone'), select),
    error,
    h('div', { class: 'actions' }, confirm, cancel),
  )
  const dialog = h('dialog', { 'aria-labelledby': titleId, 'data-confirm': to }, form)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    confirm.disabled = true
    error.textContent = ''
    try {
      await api(`/v1/experiments/${enc(e.key)}/transition`, { method: 'POST', body: select ? { to, variant: select.value } : { to }, etag })
    } catch (err) {
      confirm.disabled = false
      if (err.status === 401) return dialog.close()
      error.textContent = err.status === 412 ? 'Someone changed this experiment since the page loaded: cancel and look at the current version.' : err.message
      return
    }
    dialog.close()
    done(to)
  })
  dialog.addEventListener('close', () => {
    dialog.remove()
    if (trigger.isConnected) trigger.focus()
  })
  document.body.append(dialog)
  dialog.showModal()
  ;(select ?? cancel).focus()
}
