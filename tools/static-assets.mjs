#!/usr/bin/env node
// Writes the Worker's fixed texts as Workers Static Assets under assets/_edgesplit/, outside the
// script's 100 KiB size budget: `openapi.json` (the OpenAPI document of the route table and its words,
// src/route-docs.ts, which only this tool bundles) and
// `texts.json` (the /docs page, the tracking script, the demo site's pages, stylesheet and seed experiments) and
// `admin.json` (the dashboard's page shells, src/admin/shell-texts.ts). The TypeScript modules
// stay the source (tests import them); the Worker reads these files through its ASSETS binding
// (src/http/static-texts.ts). Run `npm run assets` after changing a route, the demo or the script;
// test/unit/http/static-assets.test.ts fails while the committed files differ from what this writes.
import * as esbuild from 'esbuild'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The assets' contents, by path under assets/, computed from the TypeScript sources. */
export async function staticAssets() {
  const entry = [
    "export { ROUTES } from './src/routes'",
    "export { ROUTE_DOCS } from './src/route-docs'",
    "export { openApiDocument } from './src/http/openapi'",
    "export { demoTexts } from './src/demo/texts'",
    "export { DEMO_EXPERIMENTS } from './src/demo/seed-experiments'",
    "export { TRACK_SCRIPT } from './src/site/track-script-text'",
    "export { DOCS_PAGE } from './src/api/docs-page'",
    "export { adminShellTexts } from './src/admin/shell-texts'",
  ].join('\n')
  const out = await esbuild.build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], write: false, logLevel: 'error' })
  const m = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`)
  return {
    '_edgesplit/openapi.json': JSON.stringify(m.openApiDocument(m.ROUTES, m.ROUTE_DOCS)),
    '_edgesplit/texts.json': `${JSON.stringify({ 'docs.html': m.DOCS_PAGE, 'track.js': m.TRACK_SCRIPT, ...m.demoTexts(), 'demo-experiments.json': JSON.stringify(m.DEMO_EXPERIMENTS) }, null, 1)}\n`,
    '_edgesplit/admin.json': `${JSON.stringify(m.adminShellTexts(), null, 1)}\n`,
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [path, text] of Object.entries(await staticAssets())) {
    const file = join(root, 'assets', path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, text)
    console.log(`wrote assets/${path} (${text.length} bytes)`)
  }
}
