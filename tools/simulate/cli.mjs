#!/usr/bin/env node
// `npm run simulate`: bundles tools/simulate/main.ts (which imports the real src/core, src/stats and
// src/bandit) with esbuild — already installed with wrangler — and runs it, so no TypeScript runner
// is needed. The bundle is cached under node_modules/.cache and rebuilt on every run (~100 ms).
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
// --scale runs the capacity model in workerd (tools/simulate/scale.mjs), not in Node.
if (process.argv.includes('--scale')) {
  const { runScaleCli } = await import('./scale.mjs')
  process.exit(await runScaleCli(process.argv.slice(2)))
}
const root = join(here, '..', '..')
const outfile = join(root, 'node_modules', '.cache', 'edgesplit-simulate', 'main.mjs')
mkdirSync(dirname(outfile), { recursive: true })

const esbuild = await import('esbuild')
await esbuild.build({
  entryPoints: [join(here, 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  logLevel: 'error',
})
const { main } = await import(pathToFileURL(outfile).href)
process.exitCode = await main(process.argv.slice(2))
