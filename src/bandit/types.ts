import type { BanditType } from '../core/experiment'

/** Shared types for the bandit allocators. Types only: no runtime code lives here. */

/** Observed counts for one arm (variant): units exposed and units that converted. */
export interface ArmCounts {
  units: number
  conversions: number
}

/** How an allocation is computed. Everything except `type` has a default. */
export interface AllocationConfig {
  type: BanditType
  /** ε-greedy exploration share, in [0, 1]. Default 0.1. */
  epsilon?: number
  /** Units every arm needs before weights adapt; at least 100 (docs/design.md, "Bandits"). Default 100. */
  burnIn?: number
  /** Minimum weight per arm, with floor·k ≤ 1. Default 0.01 (docs/design.md, "Bandits"). */
  floor?: number
  /** Monte Carlo draws for Thompson's P(best). Positive integer ≤ 1e7. Default 10000. */
  draws?: number
  /** Weights used while in burn-in (normalised); equal weights when omitted. */
  baseWeights?: number[]
}

/** Why and how an allocation came out as it did; every field is finite (JSON-safe). */
export interface AllocationDetails {
  /** Set when the weights are not adaptive: `'no-data'` or `'burn-in'`. */
  reason?: 'no-data' | 'burn-in'
  /** Human-readable explanation for `reason`. */
  message?: string
  burnIn: number
  floor: number
  /** Empirical conversion rate per arm (0 for an arm with no units). */
  means: number[]
  /** Weights before the floor was applied. */
  rawWeights: number[]
  /** Thompson: Monte Carlo estimate of P(arm is best). */
  probBest?: number[]
  /** Thompson: number of Monte Carlo draws. */
  draws?: number
  /** UCB1: mean + sqrt(2 ln N / n) per arm. */
  ucb?: number[]
  /** ε-greedy: the ε used. */
  epsilon?: number
}

/**
 * Result of `computeAllocation`: proposed weights, not yet stored. (A stored set of weights is the
 * experiment's `Allocation` in src/core/experiment.ts.) `weights` are finite, ≥ floor, and sum to 1
 * within 1e-12.
 */
export interface ComputedAllocation {
  weights: number[]
  phase: 'burn-in' | 'adaptive'
  algorithm: BanditType
  details: AllocationDetails
}
