import type { Transition } from '../core/lifecycle'
import type { ConfigDoc } from './config-doc'
import type { FlagChange } from '../core/flag'
import type { ConfigSync, FlagWriteResult, RebalanceResult, WriteResult } from './config-writer'

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

/** The ConfigWriter's flag methods (src/flows/flags.ts), with the read they share with experiments. */
export type FlagWriterApi = Pick<ConfigWriterApi, 'read'> & {
  /** Creates the flag `key`, or replaces it (If-Match: `expectedVersion`). */
  putFlag(key: string, body: unknown, expectedVersion?: number): Promise<FlagWriteResult>
  editFlag(key: string, body: unknown, expectedVersion?: number): Promise<FlagWriteResult>
  /** The kill switch: one write that turns a flag off (or back on). */
  setFlagEnabled(key: string, enabled: boolean, expectedVersion?: number): Promise<FlagWriteResult>
  removeFlag(key: string, expectedVersion?: number): Promise<FlagWriteResult>
  /** A flag's changes, newest first. */
  flagHistory(key: string): Promise<FlagChange[]>
}
