import type { RouteDocs } from '../../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of seed 000's routes in routes.ts: read by `npm run assets` only, never bundled into the Worker. */
export const seed000Docs: Record<string, RouteDocs> = {
  'POST /experiments': {
    tag: 'seed 000',
    summary: 'Seed 000: create an experiment (control/treatment model ids)',
    response: 'seed 000 Experiment.to_dict()',
  },
  'POST /experiments/:id/start': {
    tag: 'seed 000',
    summary: 'Seed 000: start',
    response: '{"status": "started"}',
  },
  'POST /experiments/:id/stop': {
    tag: 'seed 000',
    summary: 'Seed 000: stop',
    response: '{"status": "stopped"}',
  },
  'GET /experiments/:id': {
    tag: 'seed 000',
    summary: 'Seed 000: get an experiment',
    response: 'seed 000 Experiment.to_dict()',
  },
  'POST /route': {
    tag: 'seed 000',
    summary: 'Seed 000: route a user',
    response: 'the variant and its model, or all null',
  },
  'POST /log': {
    tag: 'seed 000',
    summary: "Seed 000: log the exposure and conversion of the variant /route served (409 with the server's variant_name otherwise)",
    response: '{"status": "logged"}',
  },
  'GET /experiments/:id/results': {
    tag: 'seed 000',
    summary: 'Seed 000: two-proportion results',
    response: 'seed 000 ExperimentResultsResponse',
  },
}
