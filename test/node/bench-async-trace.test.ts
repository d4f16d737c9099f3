import { describe, expect, it } from 'vitest'
import { compareKinds, indexTrace, originRequests, workerFetches } from '../../tools/bench/async-trace.mjs'

// Two tiny traces in workerd's --async-trace format (times in ns from each process's start): the
// Worker's two page requests, one with a counter call, and the origin's answers to their fetches.
const line = (o: object) => JSON.stringify(o)
const worker = [
  line({ e: 'header', v: 1, epochUnixMs: 1_000 }),
  // A new visitor: fetch() at 0.2 ms, a counter call, the answer at 12.2 ms.
  line({ e: 'ctx', ctx: 1, iso: 1, worker: 'main', actor: null, at: 0 }),
  line({ e: 'init', ctx: 1, id: 1, kind: 'request', name: 'fetch', at: 0 }),
  line({ e: 'init', ctx: 1, id: 2, kind: 'operation', name: 'fetch', at: 200_000 }),
  line({ e: 'annotate', ctx: 1, id: 2, k: 'url.full', v: 'http://127.0.0.1:1/?v=a&origin_ms=10' }),
  line({ e: 'init', ctx: 1, id: 3, kind: 'operation', name: 'jsRpcCall', at: 400_000 }),
  line({ e: 'settle', ctx: 1, id: 3, outcome: 'ok', at: 650_000 }),
  line({ e: 'settle', ctx: 1, id: 2, outcome: 'ok', at: 12_200_000 }),
  // A returning visitor 20 ms later: fetch() at 0.1 ms, no call, the answer at 11.6 ms.
  line({ e: 'ctx', ctx: 2, iso: 1, worker: 'main', actor: null, at: 20_000_000 }),
  line({ e: 'init', ctx: 2, id: 4, kind: 'operation', name: 'fetch', at: 20_100_000 }),
  line({ e: 'annotate', ctx: 2, id: 4, k: 'url.full', v: 'http://127.0.0.1:1/?v=b&origin_ms=10' }),
  line({ e: 'settle', ctx: 2, id: 4, outcome: 'ok', at: 31_700_000 }),
  // A fetch of another delay is left out.
  line({ e: 'ctx', ctx: 3, iso: 1, worker: 'main', actor: null, at: 40_000_000 }),
  line({ e: 'init', ctx: 3, id: 5, kind: 'operation', name: 'fetch', at: 40_100_000 }),
  line({ e: 'annotate', ctx: 3, id: 5, k: 'url.full', v: 'http://127.0.0.1:1/?v=c&origin_ms=2' }),
  line({ e: 'settle', ctx: 3, id: 5, outcome: 'ok', at: 43_000_000 }),
].join('\n')
// The origin's clock started 1 ms earlier; it saw the first request 0.9 ms after the call, the second 0.4 ms after.
const origin = [
  line({ e: 'header', v: 1, epochUnixMs: 999 }),
  line({ e: 'ctx', ctx: 7, iso: 1, worker: 'main', actor: null, at: 0 }),
  line({ e: 'init', ctx: 7, id: 1, kind: 'request', name: 'fetch', at: 2_100_000 }),
  line({ e: 'settle', ctx: 7, id: 1, outcome: 'ok', at: 13_400_000 }),
  line({ e: 'ctx', ctx: 8, iso: 1, worker: 'main', actor: null, at: 0 }),
  line({ e: 'init', ctx: 8, id: 2, kind: 'request', name: 'fetch', at: 21_500_000 }),
  line({ e: 'settle', ctx: 8, id: 2, outcome: 'ok', at: 32_800_000 }),
].join('\n')

describe('the async-trace reader (tools/bench/async-trace.mjs)', () => {
  it("should tell the requests with a counter call from the rest, with the origin's own time and when it saw the request", () => {
    const fetches = workerFetches(indexTrace(worker), 'origin_ms=10')
    expect(fetches.map((f) => f.stored)).toEqual([true, false])
    const result = compareKinds(fetches, originRequests(indexTrace(origin)))
    expect(result.stored).toMatchObject({ n: 1, fetch: 12_000, origin: 11_300 })
    expect(result.plain).toMatchObject({ n: 1, fetch: 11_600, origin: 11_300 })
    expect(result.stored.lateMs).toBeCloseTo(0.9, 6)
    expect(result.plain.lateMs).toBeCloseTo(0.4, 6)
  })
})
