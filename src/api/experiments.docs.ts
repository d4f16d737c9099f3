import type { RouteDocs } from '../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in experiments.ts: read by `npm run assets` only, never bundled into the Worker. */
export const experimentsDocs: Record<string, RouteDocs> = {
  'GET /v1/experiments': {
    tag: 'experiments',
    summary: 'List experiments',
    response: 'every experiment, newest first',
  },
  'POST /v1/experiments': {
    tag: 'experiments',
    summary: 'Create an experiment (in draft)',
    response: 'the experiment; ETag is its version',
  },
  'GET /v1/experiments/:key': {
    tag: 'experiments',
    summary: 'Get an experiment',
    response: 'the experiment; ETag is its version',
  },
  'PATCH /v1/experiments/:key': {
    tag: 'experiments',
    summary: 'Edit an experiment (If-Match: its version)',
    response: 'the edited experiment',
  },
  'DELETE /v1/experiments/:key': {
    tag: 'experiments',
    summary: 'Delete a draft or stopped experiment',
    response: 'deleted',
  },
  'GET /v1/experiments/:key/counts': {
    tag: 'results',
    summary: 'Raw counters per epoch, variant, metric and UTC day',
    response: 'the counters of every epoch; epoch is the current one',
  },
  'POST /v1/experiments/:key/transition': {
    tag: 'experiments',
    summary: 'Change state: draft→running, running↔paused, →rollout (with variant), →stopped',
    response: 'the experiment in its new state',
  },
}
