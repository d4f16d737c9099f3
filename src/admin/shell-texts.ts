import { EXPERIMENT_STATES } from '../core/experiment'
import { allowedTransitions } from '../core/lifecycle'
import { shellName } from './fill-shell'
import { SAMPLE_SIZE_FIELDS, sampleSizeForm } from './sample-size-form'
import { shell, type ShellProps } from './shell'

/** Allowed moves for every state: the client offers exactly these (docs/design.md, "Lifecycle and epochs"). */
export const TRANSITIONS = Object.fromEntries(EXPERIMENT_STATES.map((s) => [s, allowedTransitions(s)]))

// This module only builds the templates (tools/static-assets.mjs): its top-level tables would stay in the
// Worker bundle if the Worker imported it, so shellName and fillShell live in fill-shell.ts.
// Stand-ins for the per-request parts of a page, filled by fillShell (esc() leaves them as they are):
// U+0001 the title, U+0002 the experiment, U+0003… the sample-size form's SAMPLE_SIZE_FIELDS.
const TITLE = '\u0001'
const EXPERIMENT = '\u0002'
const FIELDS = Object.fromEntries(SAMPLE_SIZE_FIELDS.map((name, i) => [name, String.fromCharCode(3 + i)]))

/**
 * Every dashboard page's shell with stand-ins for the title, the experiment and the sample-size
 * form's values, by shellName: `npm run assets` (tools/static-assets.mjs) writes them to
 * assets/_edgesplit/admin.json, which src/admin/routes.ts fills per request, so the Worker script
 * does not carry the markup.
 * @example fillShell(adminShellTexts()['list-open-0'], ['Experiments']) === shell({ page: 'list', title: 'Experiments', access: 'open', transitions })
 */
export function adminShellTexts(): Record<string, string> {
  const texts: Record<string, string> = {}
  const pages: ShellProps['page'][] = ['list', 'experiment', 'form', 'sample-size', 'flags', 'flag']
  for (const page of pages) {
    for (const access of ['token', 'open', 'disabled'] as const) {
      for (const about of [false, true]) {
        const p = { page, title: TITLE, access, experiment: about ? EXPERIMENT : undefined, transitions: TRANSITIONS }
        if (page !== 'sample-size') texts[shellName(page, access, about)] = shell(p)
        else for (const mdeType of ['relative', 'absolute']) texts[shellName(page, access, about, mdeType === 'absolute')] = shell({ ...p, body: sampleSizeForm({ ...FIELDS, mdeType }) })
      }
    }
  }
  return texts
}
