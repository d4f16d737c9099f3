#!/usr/bin/env node
// `npm test`: provisions what the suite needs from the OS (redis-server; chromium once browser tests
// exist), then runs every vitest project — the Worker inside workerd and the Node-side suites — and
// ends with one plain summary line. Extra arguments go to vitest (e.g. `npm test -- test/unit`).
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { ensureSystemDeps } from './provision.mjs'

const SYSTEM_DEPS = ['redis-server', 'chromium']
const RESULTS = '.test-state/vitest-results.json'

await ensureSystemDeps(SYSTEM_DEPS)
mkdirSync('.test-state', { recursive: true })
rmSync(RESULTS, { force: true })

const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname
const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}`, ...process.argv.slice(2)]
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, args, { stdio: 'inherit' })
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)))
})

try {
  const r = JSON.parse(readFileSync(RESULTS, 'utf8'))
  // A test file that fails to load has no failed tests of its own: count it as one failure.
  const broken = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests + broken} failed`)
  if (r.numTotalTests === 0) {
    console.error('no test ran')
    process.exit(1)
  }
} catch {
  console.error('vitest wrote no results; see its output above')
  process.exit(code || 1)
}
process.exit(code)
