// The GrowthBook comparison row of `npm run bench` (scenario `growthbook`): GrowthBook's own edge
// app for Cloudflare Workers, bundled with esbuild like the pass-through baseline, in front of the
// same in-process demo origin (growthbook-worker.ts), with the demo's two experiments as its
// payload (growthbook-payload.ts).

import { join } from 'node:path'
import { ASSETS_DIR, BENCH_DIR, OUT_DIR, wranglerCompat } from './bindings.mjs'

/** Bundles growthbook-worker.ts (package entry points resolved as wrangler would); returns its path. */
export async function bundleGrowthbookWorker({ minify = true } = {}) {
  const esbuild = await import('esbuild')
  const outfile = join(OUT_DIR, minify ? 'growthbook-worker.js' : 'growthbook-worker.dev.js')
  await esbuild.build({
    entryPoints: [join(BENCH_DIR, 'growthbook-worker.ts')],
    bundle: true,
    minify,
    keepNames: !minify,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    // wrangler's bundler defines this too; GrowthBook's SDK reads it to leave out dev warnings.
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['cloudflare:*'],
    outfile,
    logLevel: 'error',
  })
  return outfile
}

/** The GrowthBook edge app Worker: its payload is compiled in; the demo origin reads ASSETS. @returns {import('./bindings.mjs').WorkerSpec} */
export function growthbookWorker(path) {
  return { name: 'growthbook', modules: [{ name: 'growthbook-worker.js', path }], ...wranglerCompat(), vars: {}, kv: [], durableObjects: {}, assets: ASSETS_DIR }
}

/** The answer to a sanity request: the demo page, rewritten and with GrowthBook's SDK injected; true or why not. */
export function checkGrowthbookPage(body) {
  if (!body.includes('Reserve Your Spot')) return 'expected the demo page'
  if (!body.includes('window.growthbook_config')) return 'expected the page with GrowthBook\'s injected SDK config'
  const mars = body.includes('<div class="banner mars">')
  if (mars !== body.includes('<h1>Journey to Mars</h1>')) return 'the Mars variant\'s DOM changes were applied only in part'
  return true
}
