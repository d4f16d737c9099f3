import { esc } from './html'

type Field = { name: string; label: string; help: string; step: string; value: string }

/** Defaults of `GET /v1/sample-size` (src/flows/sample-size.ts), shown pre-filled. */
export const DEFAULTS: Record<string, string> = { baseline: '0.1', mde: '0.1', mdeType: 'relative', alpha: '0.05', power: '0.8', variants: '2' }

/** The form's number fields, in the order src/admin/shell-texts.ts numbers their stand-ins. */
export const SAMPLE_SIZE_FIELDS = ['baseline', 'mde', 'alpha', 'power', 'variants'] as const

/**
 * The sample-size calculator's form, server-rendered and pre-filled from the query string (so a
 * calculation can be linked); the client sends it to `GET /v1/sample-size` and shows the answer.
 * @example c.html(sampleSizeForm(c.req.query()))
 */
export function sampleSizeForm(query: Record<string, string>): string {
  const v = (name: string) => query[name] ?? DEFAULTS[name]!
  const fields: Field[] = [
    { name: 'baseline', label: 'Baseline conversion rate', help: "the control's rate, between 0 and 1 (0.1 = 10%)", step: 'any', value: v('baseline') },
    { name: 'mde', label: 'Minimum detectable effect', help: 'the smallest lift worth detecting', step: 'any', value: v('mde') },
    { name: 'alpha', label: 'Significance level (alpha)', help: 'two-sided; split across the comparisons with control', step: 'any', value: v('alpha') },
    { name: 'power', label: 'Power', help: 'chance to detect a true effect of that size', step: 'any', value: v('power') },
    { name: 'variants', label: 'Variants (including control)', help: '2 to 20', step: '1', value: v('variants') },
  ]
  const relative = v('mdeType') !== 'absolute'
  const input = (f: Field) =>
    `<div class="field" data-path="${f.name}"><label for="ss-${f.name}">${f.label}</label><input id="ss-${f.name}" name="${f.name}" type="number" step="${f.step}" value="${esc(f.value)}" required aria-describedby="ss-${f.name}-help ss-${f.name}-error"><p class="help" id="ss-${f.name}-help">${f.help}</p><p class="field-error" id="ss-${f.name}-error"></p></div>`
  return `<form id="sample-size" class="card grid" action="/admin/sample-size" method="get" novalidate>
${fields.slice(0, 2).map(input).join('')}
<fieldset class="field" data-path="mdeType"><legend>The effect is</legend>
<label class="inline"><input type="radio" name="mdeType" value="relative"${relative ? ' checked' : ''}> relative (a fraction of the baseline: 0.1 = +10%)</label>
<label class="inline"><input type="radio" name="mdeType" value="absolute"${relative ? '' : ' checked'}> absolute (in rate points: 0.01 = +1 point)</label></fieldset>
${fields.slice(2).map(input).join('')}
<div class="actions"><button type="submit" class="primary">Calculate</button></div></form>
<section id="sample-size-result" aria-live="polite"></section>`
}
