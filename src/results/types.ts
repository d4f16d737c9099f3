export type { Comparison, ExperimentResults, MetricResult, SeriesPoint, SrmResult, VariantResult, Verdict } from './results-schema'

/** Sufficient statistics of one variant on one metric: n exposed units and their per-unit totals. */
export type VariantStats = { n: number; converters: number; sum: number; sumSq: number }

/** The analysis settings of an experiment. */
export type AnalysisSettings = { alpha: number; power: number; minDetectableEffect: number; nStar: number }
