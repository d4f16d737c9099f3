import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs tool without type declarations
import { staticAssets } from '../../../tools/static-assets.mjs'
import { TRACK_SCRIPT, TRACK_URL } from '../../../src/site/track-script'
import { EVENTS_PATH, trackScriptVersion } from '../../../src/site/track-script-text'

describe('the static assets the Worker reads its fixed texts from', () => {
  it('should be exactly what `npm run assets` writes from the sources (run it after changing a route, the demo or the tracking script)', async () => {
    const assets = (await staticAssets()) as Record<string, string>
    expect(Object.keys(assets).sort()).toEqual(['_edgesplit/admin.json', '_edgesplit/openapi.json', '_edgesplit/texts.json'])
    for (const [path, text] of Object.entries(assets)) expect(readFileSync(join(__dirname, '../../../assets', path), 'utf8'), path).toBe(text)
  })

  it("should name the tracking script's URL by the hash of the script it serves", () => {
    expect(TRACK_URL).toBe(`/_edgesplit/track.js?v=${trackScriptVersion(TRACK_SCRIPT)}`)
    expect(TRACK_SCRIPT).toContain(`sendBeacon("${EVENTS_PATH}",`)
  })
})
