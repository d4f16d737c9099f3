// Bench-only Worker: CPU cost of one assignment vs one bare SHA-256 digest, run inside workerd.
// run.mjs bundles it with esbuild and times requests from outside (workerd's clocks do not advance
// during CPU work). `GET /?mode=<mode>&n=<N>` runs N operations back to back, each awaited:
//   none    nothing (the request overhead, subtracted by run.mjs)
//   digest  crypto.subtle.digest('SHA-256', 16 bytes), a fresh input each time (the SPEC's yardstick)
//   hash    hashToUnitInterval(unit, salt) from src/core/hash.ts (encode + synchronous SHA-256 + read 64 bits)
//   assign  assign(compiled, ctx) from src/core/assign.ts: a running 50/50 experiment, no targeting,
//           a distinct unit every call (the common hot-path case: one digest per assignment)
//   flag    evaluateFlag(compiled, ctx) from src/core/flag-evaluate.ts: an attribute rule the unit
//           misses, then a 50% rollout (one targeting check and one digest per flag)
import { assign, type AssignContext } from '../../src/core/assign'
import { compileExperiment } from '../../src/core/compile'
import { DEFAULT_METRICS, type Experiment, ExperimentSchema } from '../../src/core/experiment'
import { hashToUnitInterval } from '../../src/core/hash'
import { FlagSchema } from '../../src/core/flag'
import { compileFlag, evaluateFlag } from '../../src/core/flag-evaluate'

const at = new Date(0).toISOString()
const raw: Experiment = {
  key: 'bench',
  title: 'CPU bench',
  variants: [
    { key: 'control', weight: 1 },
    { key: 'treatment', weight: 1 },
  ],
  coverage: 1,
  qaOverrides: false,
  metrics: DEFAULT_METRICS,
  alpha: 0.05,
  power: 0.8,
  minDetectableEffect: 0.1,
  hashVersion: 1,
  state: 'running',
  rolloutVariant: null,
  epoch: 1,
  allocationVersion: 1,
  allocations: [{ version: 1, epoch: 1, weights: { control: 0.5, treatment: 0.5 }, coverage: 1, at }],
  version: 2,
  createdAt: at,
  updatedAt: at,
  startedAt: at,
  endedAt: null,
}
// Validated through the real schema so a change to the Experiment shape fails loudly, not silently.
const parsed = ExperimentSchema.safeParse(raw)
const compiled = parsed.success ? compileExperiment(parsed.data) : null

const flagParsed = FlagSchema.safeParse({
  key: 'bench-flag',
  type: 'boolean',
  enabled: true,
  default: false,
  rules: [
    { id: 'staff', when: { attributes: [{ attribute: 'staff', op: 'eq', value: true }] }, serve: { value: true } },
    { id: 'ramp', serve: { rollout: [{ value: true, weight: 50 }] } },
  ],
  version: 1,
  createdAt: at,
  updatedAt: at,
})
const flag = flagParsed.success ? compileFlag(flagParsed.data) : null

let counter = 0
const input = new Uint8Array(16)
const inputView = new DataView(input.buffer)

export default {
  async fetch(request: Request): Promise<Response> {
    if (!compiled) return new Response(`bench experiment no longer matches ExperimentSchema: ${JSON.stringify(parsed.error?.issues)}`, { status: 500 })
    const url = new URL(request.url)
    const mode = url.searchParams.get('mode') ?? 'none'
    const n = Number(url.searchParams.get('n') ?? '0')
    let sink = 0
    switch (mode) {
      case 'none':
        break
      case 'digest':
        for (let i = 0; i < n; i++) {
          inputView.setUint32(0, counter++)
          const d = await crypto.subtle.digest('SHA-256', input)
          sink ^= new Uint8Array(d)[0]!
        }
        break
      case 'hash':
        for (let i = 0; i < n; i++) sink += await hashToUnitInterval(`u${counter++}`, 'bench')
        break
      case 'assign':
        for (let i = 0; i < n; i++) {
          const ctx: AssignContext = { unit: `u${counter++}`, bot: false, device: 'desktop', attributes: {} }
          const a = await assign(compiled, ctx)
          if (a.reason !== 'hash') return new Response(`expected a hash assignment, got ${JSON.stringify(a)}`, { status: 500 })
          sink += a.variant.length
        }
        break
      case 'flag':
        if (!flag) return new Response(`bench flag no longer matches FlagSchema: ${JSON.stringify(flagParsed.error?.issues)}`, { status: 500 })
        for (let i = 0; i < n; i++) {
          const d = await evaluateFlag(flag, { unit: `u${counter++}`, device: 'desktop', attributes: {} })
          if (d.kind !== 'value' || (d.reason !== 'rollout' && d.reason !== 'default')) return new Response(`expected a rollout decision, got ${JSON.stringify(d)}`, { status: 500 })
          sink += d.reason.length
        }
        break
      default:
        return new Response(`unknown mode "${mode}"`, { status: 400 })
    }
    return new Response(String(sink))
  },
}
