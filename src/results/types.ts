export type { Comparison, ExperimentResults, MetricResult, SeriesPoint, SrmResult, VariantResult, Verdict } from './results-schema'

/**
 * Sufficient statistics of one variant on one metric: n exposed units and their per-unit totals; a
 * ratio metric's sum and sumSq are its numerator's, with the denominator's and the cross products.
 */
export type VariantStats = { n: number; converters: number; sum: number; sumSq: number; sumY?: number; sumSqY?: number; sumXY?: number }

/** The analysis settings of an experiment. */
export type AnalysisSettings = { alpha: number; power: number; minDetectableEffect: number; nStar: number }
