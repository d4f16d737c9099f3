import { esc } from './html'
import type { AdminAccess, ShellProps } from './shell'

/**
 * Fills a shell template of src/admin/shell-texts.ts: its stand-in U+0001 + i becomes values[i],
 * escaped (the title, the experiment, the sample-size form's values). One pass, so nothing filled in
 * is read again, and a `$` in a value stays a `$`.
 * @example fillShell(template, ['Edit moon_mars', 'moon_mars'])
 */
export function fillShell(template: string, values: readonly string[]): string {
  return template.replace(/[\u0001-\u0007]/g, (ch) => esc(values[ch.charCodeAt(0) - 1] ?? ''))
}

/**
 * The name of the shell template for a page, an access mode and whether the page is about one
 * experiment or flag (a non-empty key: it changes the navigation's current entry on the form page);
 * the sample-size page has one per effect type, whose radio button is checked.
 * @example shellName('form', 'token', true) // 'form-token-1'
 */
export function shellName(page: ShellProps['page'], access: AdminAccess, about: boolean, absolute = false): string {
  return `${page}-${access}-${about ? 1 : 0}${absolute && page === 'sample-size' ? '-absolute' : ''}`
}
