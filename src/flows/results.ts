import * as z from 'zod/mini'
import { counterKeyOf } from '../core/compile'
import { type ParsedCounters, ParsedCountersSchema, parseCounters } from '../core/counters'
import type { Experiment } from '../core/experiment'
import type { ConfigCache } from '../config/config-cache'
import { analyzeExperiment, type SeriesChoice } from '../results/analyze-experiment'
import { parseSegments } from '../core/segments'
import { analyzeSegments } from '../results/segments'
import { type ConversionGroups, type ConversionTest, conversionTest } from '../results/conversion-test'
import type { ExperimentResults } from '../results/types'
import type { CounterStore } from '../store/counter-store'
import type { Experiments, NotFoundMessage } from './experiments'

export type { ConversionGroups, ConversionTest } from '../results/conversion-test'
export { ExperimentResultsSchema } from '../results/results-schema'

/** What reading results needs: the config cache, the counter store, and the experiments flow. */
export type ResultsDeps = { config: ConfigCache; store: CounterStore; experiments: Experiments }

/** An experiment's raw counters as `GET /v1/experiments/:key/counts` answers them: every epoch, parsed; `epoch` is the current one. */
export const CountsSchema = z.object({ experiment: z.string(), store: z.string(), epoch: z.number(), counters: ParsedCountersSchema })
export type Counts = z.infer<typeof CountsSchema>

/**
 * Results: reads an experiment instance's counters (one store round trip, under its counter key,
 * so a deleted experiment's counts never show under a new one with the same key: docs/design.md,
 * "Counting") and analyses them with the pure code in src/results.
 */
export class Results {
  constructor(private readonly deps: ResultsDeps) {}

  /** The counters of an experiment instance, parsed. */
  async counters(e: Experiment): Promise<ParsedCounters> {
    return parseCounters(await this.deps.store.getCounters(counterKeyOf(e)))
  }

  /** The raw counts of the experiment under `key` (404 when there is none). */
  async counts(key: string): Promise<Counts> {
    const e = await this.deps.experiments.get(key)
    return { experiment: key, store: this.deps.store.kind, epoch: e.epoch, counters: await this.counters(e) }
  }

  /**
   * The full analysis of the experiment under `key`: the cached config's copy when it holds one (no
   * call to the ConfigWriter on a warm isolate), else the authoritative document's (404 when neither).
   * `series`: which metrics get daily series (default the primary metric; see SeriesChoice).
   */
  async analyse(key: string, series?: SeriesChoice): Promise<ExperimentResults> {
    const cached = (await this.deps.config.snapshot()).experiments.get(key)?.experiment
    const e = cached ?? (await this.deps.experiments.get(key))
    const raw = await this.deps.store.getCounters(counterKeyOf(e))
    const results = analyzeExperiment(e, parseCounters(raw), series, Date.now())
    return { ...results, segments: analyzeSegments(e, parseSegments(raw, e.epoch), results) }
  }

  /** The two-group conversion test of the experiment under `key`, and the experiment; null test while a group is empty. */
  async conversion(key: string, groups: ConversionGroups, notFound?: NotFoundMessage): Promise<{ experiment: Experiment; test: ConversionTest | null }> {
    const experiment = await this.deps.experiments.get(key, notFound)
    return { experiment, test: conversionTest(experiment, await this.counters(experiment), groups) }
  }
}
