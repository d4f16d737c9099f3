import { esc } from './html'

/**
 * Fills a shell template of src/admin/shell-texts.ts: the title and the experiment escaped, the body
 * as markup. One pass, so nothing filled in is read again, and a `$` in a value stays a `$`.
 * @example fillShell(template, { title: 'moon_mars', experiment: 'moon_mars' })
 */
export function fillShell(template: string, p: { title: string; experiment?: string; body?: string }): string {
  const values = [esc(p.title), esc(p.experiment ?? ''), p.body ?? '']
  return template.replace(/[\u0001-\u0003]/g, (ch) => values[ch.charCodeAt(0) - 1]!)
}
