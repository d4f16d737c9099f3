import type { RouteDocs } from '../../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of seed 001's routes (events.ts, experiments.ts, expgroups.ts): read by `npm run assets` only, never bundled into the Worker. */
export const seed001Docs: Record<string, RouteDocs> = {
  'GET /api/experiments': {
    tag: 'seed 001',
    summary: 'Seed 001: experiments with groups, fallback, state (inactive/active/rollout), rollout_group, start, end',
    response: 'seed 001 EXPERIMENTS shape',
  },
  'POST /api/experiments/update': {
    tag: 'seed 001',
    summary: "Seed 001: change state and weights with the seed's rules",
    response: 'the experiment after the change',
  },
  'GET /api/expgroups': {
    tag: 'seed 001',
    summary: "Seed 001: a device's group in every experiment (logs the exp_groups event)",
    query: {
      device_id: 'the device id',
    },
    response: 'the group of every experiment, by key',
  },
  'POST /events': {
    tag: 'seed 001',
    summary: 'Seed 001: record a raw event {ts, device_id, source, event, exp_group, params} (browser events are counted too)',
    response: '{"status": "ok"}',
  },
  'GET /events': {
    tag: 'seed 001',
    summary: 'Seed 001: the most recent raw events (at most 1000)',
    response: 'raw events, oldest first',
  },
}
