import { FlagPatchSchema, FlagPutSchema, FlagSchema } from '../core/flag'
import { readJson } from '../http/body'
import { routes } from '../http/route'
import { ifMatch, tagged } from '../http/versioned'
import { FlagHistorySchema, FlagListSchema } from './flags-schema'

const flag = { status: 200, schema: { name: 'Flag', schema: FlagSchema } }

/**
 * Flag management (admin): the flags live next to the experiments in the config document and are
 * written through the same ConfigWriter, with `ETag` = version and `If-Match`. `/_all` cannot be a
 * flag key (keys start with a letter or digit), so it is listed before `/:key`.
 */
export const flagsRoutes = routes(
  {
    method: 'GET',
    path: '/v1/flags/_all',
    auth: 'admin',
    response: { status: 200, schema: { name: 'FlagList', schema: FlagListSchema } },
    handler: async (c) => c.json({ flags: await c.var.services.flags.list() }),
  },
  {
    method: 'GET',
    path: '/v1/flags/:key',
    auth: 'admin',
    response: flag,
    handler: async (c) => tagged(c, await c.var.services.flags.get(c.req.param('key')!)),
  },
  {
    method: 'PUT',
    path: '/v1/flags/:key',
    auth: 'admin',
    request: { body: { name: 'FlagPut', schema: FlagPutSchema } },
    response: flag,
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
    auth: 'admin',
    request: { body: { name: 'FlagPatch', schema: FlagPatchSchema } },
    response: flag,
    handler: async (c) => tagged(c, await c.var.services.flags.edit(c.req.param('key')!, await readJson(c, FlagPatchSchema), ifMatch(c))),
  },
  {
    method: 'DELETE',
    path: '/v1/flags/:key',
    auth: 'admin',
    response: { status: 204 },
    handler: async (c) => {
      await c.var.services.flags.remove(c.req.param('key')!, ifMatch(c))
      return c.body(null, 204)
    },
  },
  {
    method: 'POST',
    path: '/v1/flags/:key/disable',
    auth: 'admin',
    response: flag,
    handler: async (c) => tagged(c, await c.var.services.flags.setEnabled(c.req.param('key')!, false, ifMatch(c))),
  },
  {
    method: 'POST',
    path: '/v1/flags/:key/enable',
    auth: 'admin',
    response: flag,
    handler: async (c) => tagged(c, await c.var.services.flags.setEnabled(c.req.param('key')!, true, ifMatch(c))),
  },
  {
    method: 'GET',
    path: '/v1/flags/:key/history',
    auth: 'admin',
    response: { status: 200, schema: { name: 'FlagHistory', schema: FlagHistorySchema } },
    handler: async (c) => {
      const key = c.req.param('key')!
      return c.json({ key, changes: await c.var.services.flags.history(key) })
    },
  },
)
