import { describe, expect, it } from 'vitest'
import { fillShell } from '../../../src/admin/fill-shell'
import { shell, type ShellProps } from '../../../src/admin/shell'
import { adminShellTexts, shellName, TRANSITIONS } from '../../../src/admin/shell-texts'

const PAGES: ShellProps['page'][] = ['list', 'experiment', 'form', 'sample-size', 'flags', 'flag']
const VALUES = ['moon_mars', 'a$&b$1$$c', '<script>"x"&\'y\'</script>', '\u0001\u0002\u0003', '']

describe('dashboard shell templates', () => {
  it('should fill in to exactly the page shell() renders, whatever the title, experiment and body hold', () => {
    const texts = adminShellTexts()
    for (const page of PAGES) {
      for (const access of ['token', 'open', 'disabled'] as const) {
        for (const value of VALUES) {
          for (const experiment of [undefined, value]) {
            const body = page === 'sample-size' ? `<form>${value}</form>` : undefined
            const p = { page, title: `Edit ${value}`, experiment, body }
            const template = texts[shellName(page, access, !!experiment)]!
            expect(fillShell(template, p), `${page} ${access} ${JSON.stringify(value)}`).toBe(shell({ ...p, access, transitions: TRANSITIONS }))
          }
        }
      }
    }
  })
})
