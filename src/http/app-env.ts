import type { Services } from '../flows/services'

/** The Hono environment of the whole app: the Worker's bindings, and the services every handler reads. */
export type AppEnv = { Bindings: Env; Variables: { services: Services } }
