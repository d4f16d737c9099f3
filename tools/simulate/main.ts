// `npm run simulate`: the legacy demo site's simulate_visits.py (docs/compatibility.md) against a
// running edgesplit, plus two in-process checks: bandit regret (--bandit) and A/A validation of the
// statistics (--aa). See USAGE.
import { cryptoRandom, seededRandom } from '../../src/core/random'
import type { ExperimentResults } from '../../src/results/types'
import { runAaValidation } from './aa-validation'
import { formatTable } from './format-table'
import { parseSimulateArgs, type SimulateCommand, USAGE } from './parse-args'
import { progressBar } from './progress-bar'
import { regretTable } from './regret-table'
import { runVisits } from './run-visits'
import { serviceReport } from './service-report'
import { type ConfiguredExperiment, visitReport } from './visit-report'

/** Runs the simulator with command-line arguments; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let command: SimulateCommand
  try {
    command = parseSimulateArgs(argv, process.env)
  } catch (error) {
    console.error(`simulate: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  switch (command.mode) {
    case 'help':
      console.log(USAGE)
      return 0
    case 'aa':
      return aa(command)
    case 'bandit':
      return bandit(command)
    case 'visits':
      return visits(command)
  }
}

async function visits(cmd: Extract<SimulateCommand, { mode: 'visits' }>): Promise<number> {
  const headers: Record<string, string> = cmd.token ? { authorization: `Bearer ${cmd.token}` } : {}
  try {
    const health = await fetch(`${cmd.url}/health`)
    if (!health.ok) throw new Error(`GET /health answered ${health.status}`)
  } catch (error) {
    console.error(`simulate: no edgesplit answering at ${cmd.url} (${(error as Error).message}); start one with \`npm run dev\` or pass --url`)
    return 1
  }
  const configured = new Map<string, ConfiguredExperiment>()
  const list = await fetch(`${cmd.url}/v1/experiments`, { headers })
  if (list.ok) for (const e of ((await list.json()) as { experiments: ConfiguredExperiment[] }).experiments) configured.set(e.key, e)
  else console.error(`simulate: GET /v1/experiments answered ${list.status}; "Exact" splits fall back to the observed ones (pass --token for the configured weights)`)
  for (const key of Object.keys(cmd.probs)) {
    const e = configured.get(key)
    if (list.ok && (!e || e.state !== 'running')) console.error(`simulate: --probs names "${key}", which is ${e ? e.state : 'not an experiment here'}; its clicks follow the variant served`)
  }

  const tag = cmd.seed ?? Math.floor(Math.random() * 2 ** 40).toString(36)
  const rng = cmd.seed ? seededRandom(`visits:${cmd.seed}`) : cryptoRandom()
  console.log(`Simulating ${cmd.visits} visits against ${cmd.url} (visitors sim-${tag}-0…${cmd.visits - 1}, ${cmd.concurrency} at a time)`)
  const bar = progressBar('visits', cmd.visits, process.stderr, cmd.progress)
  const started = Date.now()
  const run = await runVisits({ url: cmd.url, visits: cmd.visits, probs: cmd.probs, concurrency: cmd.concurrency, rng, prefix: `sim-${tag}`, onProgress: (d) => bar.update(d) })
  bar.finish()
  const seconds = (Date.now() - started) / 1000
  console.log(`${run.visits.length} visits in ${seconds.toFixed(1)} s (${Math.round(run.visits.length / seconds)}/s)${run.failed ? `, ${run.failed} failed: ${run.errors.join('; ')}` : ''}\n`)
  if (run.visits.length === 0) return 1
  console.log(visitReport(run.visits, configured, cmd.probs).join('\n'))

  const ignored = Object.entries(run.ignored)
  if (ignored.length) console.log(`\nEvents not counted by the service: ${ignored.map(([r, n]) => `${n} ${r}`).join(', ')}`)
  if (run.retries) console.log(`(${run.retries} event posts retried while their exposure was being written)`)
  console.log()
  for (const key of [...new Set(run.visits.flatMap((v) => Object.keys(v.variants)))]) {
    const res = await fetch(`${cmd.url}/v1/experiments/${encodeURIComponent(key)}/results`, { headers })
    if (res.ok) console.log(`${serviceReport((await res.json()) as ExperimentResults).join('\n')}\n`)
    else console.log(`Service results for ${key}: GET answered ${res.status}${res.status === 401 || res.status === 403 ? ' (pass --token or set EDGESPLIT_ADMIN_TOKEN)' : ''}\n`)
  }
  return run.failed > 0 ? 1 : 0
}

async function aa(cmd: Extract<SimulateCommand, { mode: 'aa' }>): Promise<number> {
  const bar = progressBar('A/A experiments', cmd.experiments, process.stderr, cmd.progress)
  const started = Date.now()
  const r = await runAaValidation({ ...cmd, onProgress: (d) => bar.update(d) })
  bar.finish()
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`
  const row = (label: string, m: { falsePositives: number; rate: number; ci: [number, number] }) => [
    label,
    `${m.falsePositives}/${cmd.experiments}`,
    pct(m.rate),
    `[${pct(m.ci[0])}, ${pct(m.ci[1])}]`,
  ]
  console.log(
    `A/A validation: ${cmd.experiments} experiments × ${cmd.units} units, both variants converting at ${pct(cmd.rate)}, α = ${cmd.alpha}, seed "${cmd.seed}"\n` +
      `Assignment: real experiment schema, compile and bucketing, hashing checked against assign() on ${r.verified} units; mean share of A ${(100 * r.meanShareA).toFixed(2)}%\n`,
  )
  console.log(
    formatTable([
      ['method', 'false positives', 'rate', '95% CI (Wilson)'],
      row(`(a) fixed horizon: one z-test at ${cmd.units} units`, r.fixedHorizon),
      row(`(b) z-test peeking every ${cmd.peekEvery} units (${r.looks} looks), stop at p < ${cmd.alpha}`, r.peeking),
      row(`(c) sequential test (N* = ${cmd.nStar}), same peeking`, r.sequential),
    ]),
  )
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s) Only (a) and (c) hold the ${pct(cmd.alpha)} false-positive rate; (b) is what looking at a fixed-horizon p-value every day does.`)
  return 0
}

async function bandit(cmd: Extract<SimulateCommand, { mode: 'bandit' }>): Promise<number> {
  const rows = regretTable({ probs: cmd.probs, horizon: cmd.horizon, batchSize: cmd.batchSize, runs: cmd.runs, seed: cmd.seed })
  const arms = cmd.labels.map((l, i) => `${l}=${cmd.probs[i]}`).join(', ')
  console.log(`Bandit regret: arms ${arms}; ${cmd.horizon} units per run, reweight every ${cmd.batchSize} units (burn-in 100/arm, floor 1%), mean of ${cmd.runs} seeded runs\n`)
  console.log(
    formatTable([
      ['algorithm', 'cumulative regret', 'sd', 'best arm share', 'conversions / 1000', 'vs fixed'],
      ...rows.map((r) => [r.algorithm === 'fixed' ? 'fixed 50/50' : r.algorithm, r.regret.toFixed(1), r.sd.toFixed(1), `${(100 * r.bestShare).toFixed(1)}%`, r.conversionsPer1000.toFixed(1), `${(100 * r.relative).toFixed(1)}%`]),
    ]),
  )
  console.log('\nRegret = Σ over units of (best rate − rate of the arm served): conversions lost to exploration.')
  return 0
}
