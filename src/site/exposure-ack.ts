import { wait } from '../flows/wait'

/**
 * How long a page response waits, once the origin has answered, for the exposure write that was
 * started before the origin fetch. The response must never wait on a slow store: 10 ms is what a
 * new visitor's first page may pay so that its cookie already carries the store's acknowledgement
 * (`!`) and its later page views make no store call (docs/scale.md, "Writes that grow with new
 * units"). A write that takes longer goes on after the response and is sent again on the next page
 * view, where the store counts it once.
 */
export const ACK_WAIT_MS = 10

const NONE: ReadonlySet<string> = new Set()

/**
 * The experiments the exposure write acknowledged, if it has answered within ACK_WAIT_MS; none
 * when it is still running (it goes on under `waitUntil`) or acknowledged nothing.
 * @example const written = await acknowledgedWithin(write) // Set { 'exp-a' } or Set {}
 */
export function acknowledgedWithin(write: Promise<ReadonlySet<string>> | null, waitMs = ACK_WAIT_MS): Promise<ReadonlySet<string>> | ReadonlySet<string> {
  // The timer is left to fire: resolving a race already settled does nothing.
  return write ? Promise.race([write, wait(waitMs, NONE)]) : NONE
}
