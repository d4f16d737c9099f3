// The layering of src/ as data, checked against every import. A layer may import itself and the
// layers listed for it; root files (index.ts, app.ts, env.ts, services.ts, routes.ts) may import
// anything and nothing below may import them. Adapters never import one another: compat/seed000
// and compat/seed001 count as two adapters. Type-only imports count like any other.
import { readdirSync, readFileSync } from 'node:fs'
import { join, posix, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const LAYERS = ['core', 'stats', 'bandit', 'results', 'store', 'config', 'eventlog', 'flows', 'http', 'api', 'site', 'admin', 'compat', 'demo', 'root'] as const
type Layer = (typeof LAYERS)[number]

/** The allowed import directions: each layer's list names the other layers it may import. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: [],
  stats: [],
  bandit: ['core', 'stats'],
  results: ['core', 'stats', 'bandit'],
  store: ['core'],
  config: ['core', 'bandit', 'store'],
  eventlog: ['core'],
  flows: ['core', 'stats', 'bandit', 'results', 'config', 'store', 'eventlog'],
  http: ['core', 'flows'],
  api: ['flows', 'http', 'core'],
  site: ['flows', 'http', 'core'],
  admin: ['flows', 'http', 'core'],
  compat: ['flows', 'http', 'core'],
  demo: ['flows', 'http', 'core'],
  root: [...LAYERS],
}

/** The adapters: thin translators over the flows, each on its own. */
const ADAPTERS: readonly Layer[] = ['api', 'site', 'admin', 'compat', 'demo']

type Source = { path: string; text: string }
type Violation = { kind: 'layer' | 'adapter' | 'unplaced'; message: string }

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

/** Every .ts file under src/, with its path relative to src/ in posix form. */
function sources(dir = SRC): Source[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): Source[] => {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) return sources(full)
    if (!entry.name.endsWith('.ts')) return []
    return [{ path: relative(SRC, full).split('\\').join('/'), text: readFileSync(full, 'utf8') }]
  })
}

/** The module specifiers a file imports or re-exports, type-only and dynamic ones included, with their lines. */
function importsOf(file: Source): { specifier: string; line: number }[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: { specifier: string; line: number }[] = []
  const add = (node: ts.Node, spec: ts.Node | undefined) => {
    if (spec && ts.isStringLiteralLike(spec)) found.push({ specifier: spec.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier)
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression)
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0])
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal)
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return found
}

/**
 * The layer of a path relative to src/ (a file, or an import target such as `stats`, a folder's
 * index): its top-level folder, or root for a file directly in src/; null for an unknown folder.
 */
function layerOf(path: string): Layer | null {
  const [top = '', ...rest] = path.split('/')
  if (top !== 'root' && (LAYERS as readonly string[]).includes(top)) return top as Layer
  return rest.length === 0 ? 'root' : null
}

/** Which adapter a path belongs to: its layer, or `compat/<name>` inside compat/. */
function adapterOf(path: string): string {
  const [top, second] = path.split('/')
  return top === 'compat' ? `compat/${second}` : (top as string)
}

/** Every import among `files` that the table does not allow, as `file:line` messages. */
function violations(files: readonly Source[]): Violation[] {
  const out: Violation[] = []
  for (const file of files) {
    const from = layerOf(file.path)
    if (!from) {
      out.push({ kind: 'unplaced', message: `src/${file.path}: its folder is not a layer in ALLOWED` })
      continue
    }
    for (const { specifier, line } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue // a package (hono, zod/mini, cloudflare:workers)
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier))
      const at = `src/${file.path}:${line}`
      if (target.startsWith('../')) {
        out.push({ kind: 'layer', message: `${at} imports ${specifier}, outside src/` })
        continue
      }
      const to = layerOf(target)
      if (from === 'root') continue
      if (to === from) {
        if (ADAPTERS.includes(from) && adapterOf(file.path) !== adapterOf(target)) {
          out.push({ kind: 'adapter', message: `${at} (adapter ${adapterOf(file.path)}) imports adapter ${adapterOf(target)} (${specifier})` })
        }
        continue
      }
      if (to && ADAPTERS.includes(from) && ADAPTERS.includes(to)) {
        out.push({ kind: 'adapter', message: `${at} (adapter ${adapterOf(file.path)}) imports adapter ${adapterOf(target)} (${specifier})` })
      } else if (!to || !ALLOWED[from].includes(to)) {
        out.push({ kind: 'layer', message: `${at}: ${from} imports ${to ?? 'an unplaced folder'} (${specifier}); ${from} may import ${ALLOWED[from].join(', ') || 'nothing outside itself'}` })
      }
    }
  }
  return out
}

describe('the import checker', () => {
  it('should flag an import against the table, type-only and multi-line re-exports included, naming file and line', () => {
    const found = violations([
      { path: 'core/a.ts', text: "import { x } from './b'\nimport type { S } from '../store/counter-store'\n" },
      { path: 'http/b.ts', text: "export {\n  y,\n} from '../store/guarded-store'\n" },
      { path: 'store/c.ts', text: "const m = await import('../config/config-cache')\n" },
    ])
    expect(found.map((v) => v.message.split(':').slice(0, 2).join(':'))).toEqual(['src/core/a.ts:2', 'src/http/b.ts:1', 'src/store/c.ts:1'])
    expect(found.every((v) => v.kind === 'layer')).toBe(true)
  })

  it('should flag adapters importing each other, seed000 and seed001 included, and imports of root files', () => {
    const found = violations([
      { path: 'compat/seed000/a.ts', text: "import { b } from '../seed001/b'\nimport { c } from './c'\n" },
      { path: 'site/d.ts', text: "import { assignUnit } from '../api/assign'\n" },
      { path: 'api/e.ts', text: "import type { AppEnv } from '../env'\n" },
    ])
    expect(found.map((v) => [v.kind, v.message.split(' ')[0]])).toEqual([
      ['adapter', 'src/compat/seed000/a.ts:1'],
      ['adapter', 'src/site/d.ts:1'],
      ['layer', 'src/api/e.ts:1:'],
    ])
  })

  it('should let root files import anything, ignore packages, and flag a folder that is no layer', () => {
    expect(violations([{ path: 'app.ts', text: "import { a } from './api/assign'\nimport { b } from './demo/site'\n" }])).toEqual([])
    expect(violations([{ path: 'flows/a.ts', text: "import * as z from 'zod/mini'\nimport { DurableObject } from 'cloudflare:workers'\nimport { holm } from '../stats'\n" }])).toEqual([])
    expect(violations([{ path: 'results/a.ts', text: "import { x } from '../flows'\n" }]).map((v) => v.message)).toEqual([
      'src/results/a.ts:1: results imports flows (../flows); results may import core, stats, bandit',
    ])
    expect(violations([{ path: 'utils/a.ts', text: '' }]).map((v) => v.kind)).toEqual(['unplaced'])
  })
})

describe('the layering of src/', () => {
  const files = sources()

  it('should read every source file and its imports', () => {
    expect(files.length).toBeGreaterThan(100)
    expect(files.flatMap(importsOf).length).toBeGreaterThan(300)
  })

  it('should have no import from a lower layer to a higher one (the ALLOWED table)', () => {
    expect(violations(files).filter((v) => v.kind !== 'adapter').map((v) => v.message)).toEqual([])
  })

  it('should have no adapter import another adapter', () => {
    expect(violations(files).filter((v) => v.kind === 'adapter').map((v) => v.message)).toEqual([])
  })
})
