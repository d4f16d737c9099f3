import { parseArgs } from 'node:util'
import { type ClickProbs, parseProbs } from './parse-probs'

/** The legacy demo site's CLICK_PROBS (docs/compatibility.md): the click depends on the Moon/Mars banner only. */
export const DEFAULT_PROBS = 'moon_mars:Moon=0.1,Mars=0.2'

/** What `npm run simulate` was asked to do. */
export type SimulateCommand =
  | { mode: 'help' }
  | { mode: 'visits'; visits: number; url: string; probs: ClickProbs; concurrency: number; token?: string; seed?: string; progress: boolean }
  | { mode: 'bandit'; probs: number[]; labels: string[]; horizon: number; batchSize: number; runs: number; seed: string }
  | { mode: 'aa'; experiments: number; units: number; peekEvery: number; rate: number; alpha: number; nStar: number; seed: string; progress: boolean }

export const USAGE = `npm run simulate -- [mode] [options]

Modes (default: --visits 1000):
  --visits N         N visitors against a running edgesplit over HTTP (seed 001's simulate_visits.py):
                     GET /v1/assign, POST /v1/events pageview and, with the variant's probability, button_click
  --bandit           in-process: cumulative regret of thompson, ucb1 and epsilon_greedy vs a fixed 50/50 split
  --aa N             in-process: N A/A experiments; false-positive rate of a fixed-horizon look, of peeking,
                     and of the sequential test under the same peeking

Options:
  --url URL          edgesplit to visit (default http://127.0.0.1:8787, or EDGESPLIT_URL)
  --probs SPEC       click probability per variant, "experiment:Variant=p,Variant=p" (repeat or join with ";";
                     default ${DEFAULT_PROBS}); --bandit uses the first experiment's probabilities as its arms
  --concurrency N    visitors in flight at once (default 16)
  --token TOKEN      admin token for the service's results (default EDGESPLIT_ADMIN_TOKEN or ADMIN_TOKEN; none needed with npm run dev)
  --seed S           seed for visitor ids, clicks and simulations (visits default: random, so each run brings new visitors)
  --horizon N        --bandit: units per run (default 20000)
  --batch N          --bandit: units between reweights (default 500)
  --runs N           --bandit: runs averaged per algorithm (default 20)
  --units N          --aa: units per experiment (default 5000)
  --peek N           --aa: units between looks (default 100)
  --rate P           --aa: conversion rate of both variants (default 0.1)
  --alpha A          --aa: significance level (default 0.05)
  --nstar N          --aa: the sequential test's tuning N* (default 5000, the experiment default)
  --no-progress      no progress bar
`

/**
 * Parses the simulator's command line (see USAGE). Throws an Error with a readable message on bad
 * input; `env` supplies EDGESPLIT_URL and the admin token.
 * @example parseSimulateArgs(['--visits', '2000'], {}) // { mode: 'visits', visits: 2000, url: 'http://127.0.0.1:8787', … }
 */
export function parseSimulateArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): SimulateCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      visits: { type: 'string' },
      bandit: { type: 'boolean' },
      aa: { type: 'string' },
      url: { type: 'string' },
      probs: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      horizon: { type: 'string' },
      batch: { type: 'string' },
      runs: { type: 'string' },
      units: { type: 'string' },
      peek: { type: 'string' },
      rate: { type: 'string' },
      alpha: { type: 'string' },
      nstar: { type: 'string' },
      'no-progress': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { mode: 'help' }
  const modes = [values.visits !== undefined, values.bandit === true, values.aa !== undefined].filter(Boolean).length
  if (modes > 1) throw new Error('choose one of --visits, --bandit and --aa')
  const progress = !values['no-progress']
  const probs = parseProbs(values.probs?.length ? values.probs : [DEFAULT_PROBS])

  if (values.bandit) {
    const [experiment, arms] = Object.entries(probs)[0]!
    const labels = Object.keys(arms).map((v) => `${experiment}:${v}`)
    if (labels.length < 2) throw new Error('--bandit needs at least two arms in --probs, e.g. moon_mars:Moon=0.1,Mars=0.2')
    return {
      mode: 'bandit',
      probs: Object.values(arms),
      labels,
      horizon: integer('horizon', values.horizon, 20_000, 100),
      batchSize: integer('batch', values.batch, 500, 1),
      runs: integer('runs', values.runs, 20, 1),
      seed: values.seed ?? 'edgesplit-bandit',
    }
  }
  if (values.aa !== undefined) {
    return {
      mode: 'aa',
      experiments: integer('aa', values.aa, 1000, 1),
      units: integer('units', values.units, 5000, 2),
      peekEvery: integer('peek', values.peek, 100, 1),
      rate: fraction('rate', values.rate, 0.1),
      alpha: fraction('alpha', values.alpha, 0.05),
      nStar: integer('nstar', values.nstar, 5000, 1),
      seed: values.seed ?? 'edgesplit-aa',
      progress,
    }
  }
  const url = (values.url ?? env.EDGESPLIT_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '')
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`--url: expected an http(s) URL such as http://127.0.0.1:8787, got "${url}"`)
  return {
    mode: 'visits',
    visits: integer('visits', values.visits, 1000, 1),
    url,
    probs,
    concurrency: integer('concurrency', values.concurrency, 16, 1),
    token: values.token ?? env.EDGESPLIT_ADMIN_TOKEN ?? env.ADMIN_TOKEN,
    seed: values.seed,
    progress,
  }
}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected a whole number ≥ ${min}, got "${text}"`)
  return n
}

function fraction(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const p = Number(text)
  if (!(p > 0 && p < 1)) throw new Error(`--${name}: expected a number in (0, 1), got "${text}"`)
  return p
}
