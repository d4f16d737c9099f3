#!/usr/bin/env node
// `npm test`: provisions what the suite needs from the OS (redis-server, chromium), runs the Worker
// inside workerd and the Node-side suites, then the browser suite (the deployable bundle in workerd + Chromium) on
// its own, and ends with one plain summary line. Extra arguments go to vitest (`npm test -- test/unit`).
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { ensureSystemDeps } from './provision.mjs'

const SYSTEM_DEPS = ['redis-server', 'chromium']
const RESULTS = '.test-state/vitest-results.json'

await ensureSystemDeps(SYSTEM_DEPS)
mkdirSync('.test-state', { recursive: true })
rmSync(RESULTS, { force: true })

const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname
const extra = process.argv.slice(2)

/** One vitest run; resolves to its exit code and its JSON results (or null). */
async function run(name, projectArgs) {
  const out = `${RESULTS}.${name}.json`
  rmSync(out, { force: true })
  const args = [vitest, 'run', ...projectArgs, '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra]
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' })
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)))
  })
  try {
    return { code, results: JSON.parse(readFileSync(out, 'utf8')) }
  } catch {
    console.error(`vitest (${name}) wrote no results; see its output above`)
    return { code: code || 1, results: null }
  }
}

// The browser project (the bundle in workerd + Chromium) runs alone, after everything else.
const runs = [await run('main', ['--project', 'workers', '--project', 'node']), await run('browser', ['--project', 'browser'])]
let passed = 0
let failed = 0
let total = 0
for (const { code, results: r } of runs) {
  if (!r) {
    failed++
    continue
  }
  // A test file that fails to load has no failed tests of its own: count it as one failure.
  const broken = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length
  passed += r.numPassedTests
  failed += r.numFailedTests + broken + (code !== 0 && r.numFailedTests + broken === 0 ? 1 : 0)
  total += r.numTotalTests
}
console.log(`\ntests: ${passed} passed, ${failed} failed`)
if (total === 0) {
  console.error('no test ran')
  process.exit(1)
}
process.exit(runs.some((r) => r.code !== 0) ? 1 : 0)
