import { createApp } from './app'
import { ConfigWriter as ConfigWriterBase } from './config/config-writer'
import { fixedText } from './http/static-texts'

export { CounterShard } from './store/durable-object/counter-shard'
export { EventLog } from './eventlog/event-log'

/**
 * The ConfigWriter Durable Object, given the demo experiments (src/demo/seed-experiments.ts, read
 * from the static assets) to start an empty development config with.
 */
export class ConfigWriter extends ConfigWriterBase {
  protected override async developmentSeed(): Promise<readonly unknown[]> {
    return JSON.parse(await fixedText(this.env.ASSETS, 'demo-experiments.json')) as unknown[]
  }
}

const app = createApp()

/** The Worker entry: the Hono app; Durable Object classes are exported beside it. */
export default { fetch: app.fetch } satisfies ExportedHandler<Env>
