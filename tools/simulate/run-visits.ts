import type { RandomSource } from '../../src/core/random'
import type { ClickProbs } from './parse-probs'

/** One simulated visitor: what edgesplit assigned and whether the visitor clicked. */
export type Visit = { unit: string; variants: Record<string, string>; reasons: Record<string, string>; clicked: boolean }

/** Totals of a run besides the visits. */
export type VisitRun = {
  visits: Visit[]
  /** Visitors whose assignment failed (after retries). */
  failed: number
  /** The first few failure messages. */
  errors: string[]
  /** Events the service did not count, by reason (other than experiments not listening to them). */
  ignored: Record<string, number>
  /** Event posts retried because the exposure had not been written yet or the store asked to. */
  retries: number
}

/** Options of `runVisits`. */
export type RunVisitsOptions = {
  url: string
  visits: number
  probs: ClickProbs
  concurrency: number
  rng: RandomSource
  /** Prefix of the visitor ids (a fresh one per run brings new visitors). */
  prefix: string
  fetch?: typeof fetch
  /** First retry delay in ms, doubled on each retry (default 25). */
  retryDelayMs?: number
  onProgress?: (done: number) => void
}

const MAX_ATTEMPTS = 6

/**
 * The legacy demo site's simulate_visits.py (docs/compatibility.md) over edgesplit's API: each
 * visitor gets its variants from `GET /v1/assign?unit=…` (which logs the exposures), sends a
 * `pageview` event and, with probability 1 − Π_e (1 − p_e(variant_e)) over the experiments in
 * `probs`, a `button_click` event, with at most `concurrency` visitors in flight. Exposures are written after the response, so an event that
 * arrives first is answered `not_exposed`; it is retried with backoff (its id keeps retries exact).
 */
export async function runVisits(options: RunVisitsOptions): Promise<VisitRun> {
  const { url, visits, probs, concurrency, rng, prefix, onProgress, retryDelayMs = 25 } = options
  const http = options.fetch ?? fetch
  const run: VisitRun = { visits: [], failed: 0, errors: [], ignored: {}, retries: 0 }
  let next = 0
  let done = 0

  const fail = (message: string) => {
    run.failed++
    if (run.errors.length < 5) run.errors.push(message)
  }

  const send = async (unit: string, name: string) => {
    const body = JSON.stringify({ id: `${unit}:${name}`, unit, name })
    for (let attempt = 1; ; attempt++) {
      const res = await http(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      const answer = (await res.json().catch(() => null)) as { ignored?: { reason: string }[] } | null
      const notExposed = res.status === 202 && answer?.ignored?.some((i) => i.reason === 'not_exposed')
      if ((res.status === 503 || notExposed) && attempt < MAX_ATTEMPTS) {
        run.retries++
        await sleep(retryDelayMs * 2 ** (attempt - 1))
        continue
      }
      if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}`)
      for (const i of answer?.ignored ?? []) if (i.reason !== 'no_experiment') run.ignored[i.reason] = (run.ignored[i.reason] ?? 0) + 1
      return
    }
  }

  const visit = async (i: number) => {
    const unit = `${prefix}-${i}`
    // Draw the click coin first so a visitor's choice does not depend on request timing.
    const coin = rng()
    let assigned: Record<string, { variant: string; reason: string }>
    try {
      const res = await http(`${url}/v1/assign?unit=${encodeURIComponent(unit)}`)
      if (res.status !== 200) throw new Error(`GET /v1/assign answered ${res.status}: ${(await res.text()).slice(0, 200)}`)
      assigned = ((await res.json()) as { assignments: typeof assigned }).assignments
    } catch (error) {
      fail((error as Error).message)
      return
    }
    const variants = Object.fromEntries(Object.entries(assigned).map(([k, a]) => [k, a.variant]))
    const reasons = Object.fromEntries(Object.entries(assigned).map(([k, a]) => [k, a.reason]))
    let stay = 1
    for (const [experiment, byVariant] of Object.entries(probs)) {
      const variant = variants[experiment]
      if (variant !== undefined) stay *= 1 - (byVariant[variant] ?? 0)
    }
    const clicked = coin < 1 - stay
    try {
      await send(unit, 'pageview')
      if (clicked) await send(unit, 'button_click')
    } catch (error) {
      fail((error as Error).message)
      return
    }
    run.visits.push({ unit, variants, reasons, clicked })
  }

  const worker = async () => {
    while (next < visits) {
      const i = next++
      await visit(i)
      onProgress?.(++done)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, visits) }, worker))
  run.visits.sort((a, b) => Number(a.unit.slice(prefix.length + 1)) - Number(b.unit.slice(prefix.length + 1)))
  return run
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
