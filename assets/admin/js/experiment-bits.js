// Small pieces shared by the list and the experiment page.
import { h } from './dom.js'

/** The control: `control` if set, else the first variant (as src/core/experiment.ts). */
export function controlOf(e) {
  return e.control ?? e.variants[0].key
}

/** The variant served to units outside the experiment: `fallback`, else the control. */
export function fallbackOf(e) {
  return e.fallback ?? controlOf(e)
}

/** Each variant's share of the traffic that enters, from its weight. */
export function shares(e) {
  const total = e.variants.reduce((s, v) => s + v.weight, 0)
  return e.variants.map((v) => ({ key: v.key, weight: v.weight, share: total > 0 ? v.weight / total : 0 }))
}

/** The state as a badge: "running", "rollout: Mars", with the epoch after a restart. */
export function stateBadge(e) {
  const text = e.state === 'rollout' && e.rolloutVariant ? `rollout: ${e.rolloutVariant}` : e.state
  return h('span', { class: `badge state-${e.state}` }, text, e.epoch > 1 && e.state !== 'draft' ? ` · epoch ${e.epoch}` : '')
}

/** The SRM check as a badge whose text says what it means (colour is never the only signal). */
export function srmBadge(srm) {
  if (!srm || srm.pValue == null) return h('span', { class: 'badge muted', title: srm?.reason ?? 'no data' }, 'SRM: no data')
  const p = srm.pValue < 0.0001 ? '< 0.0001' : srm.pValue.toPrecision(2)
  return srm.mismatch
    ? h('span', { class: 'badge bad', title: `sample ratio mismatch: p = ${p} < 0.001` }, `SRM! p ${srm.pValue < 0.0001 ? '' : '= '}${p}`)
    : h('span', { class: 'badge good', title: `split matches the weights: p = ${p}` }, 'SRM ok')
}
