// The sample-size calculator: the server-rendered form goes to GET /v1/sample-size (public), and
// the answer is shown below it; the URL keeps the inputs so a calculation can be shared.
import { api } from './api.js'
import { h } from './dom.js'
import { clearErrors, showErrors } from './errors.js'
import { num, pct } from './format.js'

let wired = false

/** Wires the calculator form and shows the answer for its pre-filled values. */
export async function render() {
  const form = document.getElementById('sample-size')
  const out = document.getElementById('sample-size-result')
  if (!form.querySelector('.error-summary')) form.prepend(h('div', { class: 'error-summary notice error', tabindex: '-1', hidden: true }))
  const run = async () => {
    clearErrors(form)
    const query = new URLSearchParams(new FormData(form))
    history.replaceState(null, '', `?${query}`)
    try {
      const { data } = await api(`/v1/sample-size?${query}`)
      out.replaceChildren(answer(data))
    } catch (error) {
      out.replaceChildren()
      showErrors(form, error)
    }
  }
  if (!wired) {
    wired = true
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      run()
    })
  }
  await run()
}

function answer(d) {
  if (d.perVariant == null) return h('div', { class: 'notice error', id: 'sample-size-answer' }, h('p', {}, `No sample size: ${d.reason ?? 'the inputs do not allow one'}.`))
  const change = `${pct(d.baseline, 2)} → ${pct(d.expected, 2)} (${d.relativeEffect >= 0 ? '+' : '−'}${pct(Math.abs(d.relativeEffect), 1)} relative, ${d.absoluteEffect >= 0 ? '+' : '−'}${(Math.abs(d.absoluteEffect) * 100).toFixed(2)} points)`
  return h(
    'div',
    { class: 'card answer', id: 'sample-size-answer' },
    h('p', { class: 'big' }, h('strong', {}, num(d.perVariant)), ' units per variant, ', h('strong', {}, num(d.total)), ` in total for ${d.variants} variants.`),
    h('p', {}, `To detect ${change} with a two-sided α of ${d.alpha}${d.variants > 2 ? ` (${num(d.alphaPerComparison, 3)} per comparison with the control, Bonferroni)` : ''} and ${pct(d.power, 0)} power.`),
    h('p', { class: 'muted' }, 'Fixed-horizon plan: read the fixed p-value only once every variant has this many units. The always-valid sequential p-value in the results may be read at any time.'),
  )
}
