import { routes } from '../http/route'
import { fixedText } from '../http/static-texts'

/** Where the Worker serves the tracking script. */
export const TRACK_PATH = '/_edgesplit/track.js'

export { EVENTS_PATH, TRACK_SCRIPT } from './track-script-text'

/**
 * trackScriptVersion(TRACK_SCRIPT), written out so the Worker needs no copy of the script to name
 * its URL; test/unit/site/track-script-version.test.ts fails when the script changes without it.
 */
const TRACK_VERSION = '1rh2717'

/** The versioned URL pages load the script from (cached for a year; a new version has a new URL). */
export const TRACK_URL = `${TRACK_PATH}?v=${TRACK_VERSION}`

/** `GET /_edgesplit/track.js`: the tracking script, cached long (its URL is versioned). */
export const trackScriptRoutes = routes({
  method: 'GET',
  path: TRACK_PATH,
  auth: 'public',
  response: { status: 200, mediaType: 'text/javascript' },
  handler: async (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8')
    c.header('cache-control', 'public, max-age=31536000, immutable')
    c.header('x-content-type-options', 'nosniff')
    return c.body(await fixedText(c.var.services.assets, 'track.js'))
  },
})
