import { describe, expect, it } from 'vitest'
import { fillShell, shellName } from '../../../src/admin/fill-shell'
import { DEFAULTS, SAMPLE_SIZE_FIELDS, sampleSizeForm } from '../../../src/admin/sample-size-form'
import { shell, type ShellProps } from '../../../src/admin/shell'
import { adminShellTexts, TRANSITIONS } from '../../../src/admin/shell-texts'

const PAGES: ShellProps['page'][] = ['list', 'experiment', 'form', 'sample-size', 'flags', 'flag']
const VALUES = ['moon_mars', 'a$&b$1$$c', '<script>"x"&\'y\'</script>', '\u0001\u0002\u0003\u0007', '']

describe('dashboard shell templates', () => {
  it('should fill in to exactly the page shell() renders, whatever the title, experiment and form values hold', () => {
    const texts = adminShellTexts()
    for (const page of PAGES) {
      for (const access of ['token', 'open', 'disabled'] as const) {
        for (const value of VALUES) {
          for (const experiment of [undefined, value]) {
            for (const query of [{}, { baseline: value, power: `${value}1`, mdeType: 'absolute' }, { mde: value, variants: '3', mdeType: 'relative' }] as Record<string, string>[]) {
              const p = { page, title: `Edit ${value}`, experiment }
              const template = texts[shellName(page, access, !!experiment, query.mdeType === 'absolute')]!
              const filled = fillShell(template, [p.title, experiment ?? '', ...SAMPLE_SIZE_FIELDS.map((n) => query[n] ?? DEFAULTS[n]!)])
              const body = page === 'sample-size' ? sampleSizeForm(query) : undefined
              expect(filled, `${page} ${access} ${JSON.stringify(value)} ${JSON.stringify(query)}`).toBe(shell({ ...p, access, transitions: TRANSITIONS, body }))
            }
          }
        }
      }
    }
  })
})
