import { esc } from './html'

/**
 * Fills a shell template of src/admin/shell-texts.ts: its stand-in U+0001 + i becomes values[i],
 * escaped (the title, the experiment, the sample-size form's values). One pass, so nothing filled in
 * is read again, and a `$` in a value stays a `$`.
 * @example fillShell(template, ['Edit moon_mars', 'moon_mars'])
 */
export function fillShell(template: string, values: readonly string[]): string {
  return template.replace(/[\u0001-\u0007]/g, (ch) => esc(values[ch.charCodeAt(0) - 1] ?? ''))
}
