import { createApp } from './app'
import { ConfigWriter as ConfigWriterBase } from './config/config-writer'
import { DEMO_EXPERIMENTS } from './demo/seed-experiments'

export { CounterShard } from './store/durable-object/counter-shard'
export { EventLog } from './eventlog/event-log'

/** The ConfigWriter Durable Object, given the demo experiments to start an empty development config with. */
export class ConfigWriter extends ConfigWriterBase {
  protected override readonly developmentSeed = DEMO_EXPERIMENTS
}

const app = createApp()

/** The Worker entry: the Hono app; Durable Object classes are exported beside it. */
export default { fetch: app.fetch } satisfies ExportedHandler<Env>
