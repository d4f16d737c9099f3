import { counterLayout } from '../core/counter-key'
import { newVisitorId } from '../core/visitor-id'
import type { ConfigSnapshot } from '../config/config-doc'
import { shardIndex } from '../store/shard-router'
import { windowSlot } from './exposure-buffer'

/**
 * A new visitor's id (src/core/visitor-id.ts), drawn so that the shard router puts the visitor on
 * the shard this isolate's confirm window writes to (windowSlot, drawn anew for each window). The
 * new visitors of a window then share one counter call and one commit instead of one per shard
 * they would touch at random (docs/scale.md, "New visitors share a window's shard"). The shard count is the largest of the
 * active experiments': an experiment whose count divides it lands on the same slot, any other is
 * placed as a random id would be.
 */
export function newVisitor(snapshot: ConfigSnapshot): string {
  const shards = Math.max(1, ...snapshot.active.map((e) => counterLayout(e.counterKey).shards))
  const slot = windowSlot(shards)
  return newVisitorId((id) => shardIndex(id, shards) === slot)
}
