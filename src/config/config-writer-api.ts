import type { Transition } from '../core/lifecycle'
import type { ConfigDoc } from './config-doc'
import type { ConfigSync, RebalanceResult, WriteResult } from './config-writer'

/**
 * The ConfigWriter's RPC surface as plain promises (the generated stub type is too deep for tsc
 * to check through Hono's handler types).
 */
export type ConfigWriterApi = {
  read(): Promise<ConfigDoc>
  create(body: unknown): Promise<WriteResult>
  edit(key: string, body: unknown, expectedVersion?: number): Promise<WriteResult>
  transition(key: string, t: Transition, expectedVersion?: number): Promise<WriteResult>
  remove(key: string, expectedVersion?: number): Promise<WriteResult>
  /** The bandit step: reweights a due bandit experiment from its counts (at most once per period). */
  rebalance(key: string): Promise<RebalanceResult>
  /** Compares KV's revision with the latest and republishes when KV is behind (GET /health?deep=1). */
  sync(): Promise<ConfigSync>
}
