// The Worker `npm run simulate -- --scale` runs in workerd: the real CounterShard class, and one
// route that runs a scenario of the capacity model (tools/simulate/scale-model.ts) and answers its row.
import { runScale, type ScaleParams } from './scale-model'

export { CounterShard } from '../../src/store/durable-object/counter-shard'

export default {
  /** POST a ScaleParams body; answers the scenario's ScaleRow. */
  async fetch(request: Request, env: { COUNTERS: DurableObjectNamespace }): Promise<Response> {
    try {
      return Response.json(await runScale(env.COUNTERS, (await request.json()) as ScaleParams))
    } catch (error) {
      return Response.json({ error: String((error as Error)?.stack ?? error) }, { status: 500 })
    }
  },
}
