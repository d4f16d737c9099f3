// One environment parse: only src/services.ts reads the Worker's bindings and variables from the
// request context; every handler and middleware reads the parsed settings from c.var.services.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

function files(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

/** The code of a file without its comments (a comment may mention `c.env`). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

describe('reading the environment', () => {
  it('should happen in src/services.ts only: no handler or middleware reads c.env', () => {
    const readers = files()
      .filter((f) => /\bc\.env\b/.test(code(readFileSync(f, 'utf8'))))
      .map((f) => relative(SRC, f).split('\\').join('/'))
    expect(readers).toEqual(['services.ts'])
  })

  it('should declare the variables once, in the schema of src/env.ts', () => {
    const declaring = files()
      .filter((f) => /\bCOOKIE_SECRET\??\s*:/.test(code(readFileSync(f, 'utf8'))))
      .map((f) => relative(SRC, f).split('\\').join('/'))
    expect(declaring).toEqual(['env.ts'])
  })
})
