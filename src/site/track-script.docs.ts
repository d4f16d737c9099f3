import type { RouteDocs } from '../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in track-script.ts: read by `npm run assets` only, never bundled into the Worker. */
export const trackScriptDocs: Record<string, RouteDocs> = {
  'GET /_edgesplit/track.js': {
    tag: 'site',
    summary: 'The tracking script the site middleware injects',
    response: 'JavaScript',
  },
}
