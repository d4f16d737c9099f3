import type { RouteDocs } from '../http/route'

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in flags.ts: read by `npm run assets` only, never bundled into the Worker. */
export const flagsDocs: Record<string, RouteDocs> = {
  'GET /v1/flags/_all': {
    tag: 'flags',
    summary: 'List flags',
    response: 'every flag, by key',
  },
  'GET /v1/flags/:key': {
    tag: 'flags',
    summary: 'Get a flag',
    response: 'the flag; ETag is its version',
  },
  'PUT /v1/flags/:key': {
    tag: 'flags',
    summary: 'Create a flag, or replace it whole (If-Match: its version; "0": create only)',
    response: 'the flag (201 when created); ETag is its version',
  },
  'PATCH /v1/flags/:key': {
    tag: 'flags',
    summary: 'Edit a flag (If-Match: its version)',
    response: 'the edited flag',
  },
  'DELETE /v1/flags/:key': {
    tag: 'flags',
    summary: 'Delete a flag',
    response: 'deleted',
  },
  'POST /v1/flags/:key/disable': {
    tag: 'flags',
    summary: 'Kill switch: turn a flag off (everyone gets its default, reason flag_disabled)',
    response: 'the disabled flag',
  },
  'POST /v1/flags/:key/enable': {
    tag: 'flags',
    summary: 'Turn a flag back on',
    response: 'the enabled flag',
  },
  'GET /v1/flags/:key/history': {
    tag: 'flags',
    summary: "A flag's changes (version, time, action, the flag as it then was), newest first",
    response: 'the changes, newest first',
  },
}
