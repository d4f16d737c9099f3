import { createApp } from './app'

export { ConfigWriter } from './config/config-writer'
export { CounterShard } from './store/durable-object/counter-shard'
export { EventLog } from './eventlog/event-log'

const app = createApp()

/** The Worker entry: the Hono app; Durable Object classes are exported beside it. */
export default { fetch: app.fetch } satisfies ExportedHandler<Env>
