import type { RouteDocs } from '../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of the dashboard's routes in routes.ts: read by `npm run assets` only, never bundled into the Worker. */
export const adminDocs: Record<string, RouteDocs> = {
  'GET /admin': {
    tag: 'admin',
    summary: 'The dashboard: the experiments list (`/admin/` redirects here)',
    response: 'the dashboard page',
  },
  'GET /admin/experiments/new': {
    tag: 'admin',
    summary: 'The dashboard: a new experiment',
    response: 'the dashboard page',
  },
  'GET /admin/experiments/:key': {
    tag: 'admin',
    summary: 'The dashboard: one experiment and its results',
    response: 'the dashboard page',
  },
  'GET /admin/experiments/:key/edit': {
    tag: 'admin',
    summary: 'The dashboard: edit an experiment',
    response: 'the dashboard page',
  },
  'GET /admin/flags': {
    tag: 'admin',
    summary: 'The dashboard: the flags list, with the kill switch',
    response: 'the dashboard page',
  },
  'GET /admin/flags/new': {
    tag: 'admin',
    summary: 'The dashboard: a new flag',
    response: 'the dashboard page',
  },
  'GET /admin/flags/:key': {
    tag: 'admin',
    summary: 'The dashboard: edit a flag, and its history',
    response: 'the dashboard page',
  },
  'GET /admin/sample-size': {
    tag: 'admin',
    summary: 'The dashboard: the sample-size calculator',
    response: 'the dashboard page',
  },
  'GET /experiments': {
    tag: 'seed 001',
    summary: "Seed 001: the experiments page (the dashboard's list; its data comes through the admin API)",
    response: 'the dashboard page',
  },
}
