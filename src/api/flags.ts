import type { Context } from 'hono'
import { type Flag, FlagPatchSchema, FlagPutSchema, FlagSchema } from '../core/flag'
import { readJson } from '../http/body'
import { routes } from '../http/route'
import { ifMatch } from './experiments'
import { FlagHistorySchema, FlagListSchema } from './flags-schema'

const flag = (description: string, status = 200) => ({ status, description, schema: { name: 'Flag', schema: FlagSchema } })
const admin = (summary: string) => ({ auth: 'admin', tag: 'flags', summary }) as const

/**
 * Flag management (admin): the flags live next to the experiments in the config document and are
 * written through the same ConfigWriter, with `ETag` = version and `If-Match`. `/_all` cannot be a
 * flag key (keys start with a letter or digit), so it is listed before `/:key`.
 */
export const flagsRoutes = routes(
  {
    method: 'GET',
    path: '/v1/flags/_all',
    ...admin('List flags'),
    response: { status: 200, description: 'every flag, by key', schema: { name: 'FlagList', schema: FlagListSchema } },
    handler: async (c) => c.json({ flags: await c.var.services.flags.list() }),
  },
  {
    method: 'GET',
    path: '/v1/flags/:key',
    ...admin('Get a flag'),
    response: flag('the flag; ETag is its version'),
    handler: async (c) => tagged(c, await c.var.services.flags.get(c.req.param('key')!)),
  },
  {
    method: 'PUT',
    path: '/v1/flags/:key',
    ...admin('Create a flag, or replace it whole (If-Match: its version; "0": create only)'),
    request: { body: { name: 'FlagPut', schema: FlagPutSchema } },
    response: flag('the flag (201 when created); ETag is its version'),
    handler: async (c) => {
      // Parsed here for the field errors; the writer checks it again with the key from the path.
      const body = await readJson(c, FlagPutSchema)
      const f = await c.var.services.flags.put(c.req.param('key')!, body, ifMatch(c))
      return tagged(c, f, f.version === 1 ? 201 : 200)
    },
  },
  {
    method: 'PATCH',
    path: '/v1/flags/:key',
    ...admin('Edit a flag (If-Match: its version)'),
    request: { body: { name: 'FlagPatch', schema: FlagPatchSchema } },
    response: flag('the edited flag'),
    handler: async (c) => tagged(c, await c.var.services.flags.edit(c.req.param('key')!, await readJson(c, FlagPatchSchema), ifMatch(c))),
  },
  {
    method: 'DELETE',
    path: '/v1/flags/:key',
    ...admin('Delete a flag'),
    response: { status: 204, description: 'deleted' },
    handler: async (c) => {
      await c.var.services.flags.remove(c.req.param('key')!, ifMatch(c))
      return c.body(null, 204)
    },
  },
  {
    method: 'POST',
    path: '/v1/flags/:key/disable',
    ...admin('Kill switch: turn a flag off (everyone gets its default, reason flag_disabled)'),
    response: flag('the disabled flag'),
    handler: async (c) => tagged(c, await c.var.services.flags.setEnabled(c.req.param('key')!, false, ifMatch(c))),
  },
  {
    method: 'POST',
    path: '/v1/flags/:key/enable',
    ...admin('Turn a flag back on'),
    response: flag('the enabled flag'),
    handler: async (c) => tagged(c, await c.var.services.flags.setEnabled(c.req.param('key')!, true, ifMatch(c))),
  },
  {
    method: 'GET',
    path: '/v1/flags/:key/history',
    ...admin("A flag's changes (version, time, action, the flag as it then was), newest first"),
    response: { status: 200, description: 'the changes, newest first', schema: { name: 'FlagHistory', schema: FlagHistorySchema } },
    handler: async (c) => {
      const key = c.req.param('key')!
      return c.json({ key, changes: await c.var.services.flags.history(key) })
    },
  },
)

/** Answers with a flag, its version as the ETag (the If-Match of the next edit). */
function tagged(c: Context, f: Flag, status: 200 | 201 = 200): Response {
  c.header('ETag', `"${f.version}"`)
  return c.json(f, status)
}
