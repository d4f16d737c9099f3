// The Worker's fixed texts (the OpenAPI document, the /docs page, the tracking script, the demo site
// and its seed experiments, the dashboard's page shells) are Workers Static Assets written by
// tools/static-assets.mjs, not strings in the script, whose gzipped size has a 100 KiB budget
// (README, Performance). An isolate reads each file once.
const cache = new Map<string, string>()
const parsed = new Map<string, Record<string, string>>()

/**
 * The text of a file under assets/ (read through the ASSETS binding once per isolate); a missing
 * file is a broken deployment, so it throws (a 500, like any other internal error).
 * @example await assetText(c.var.services.assets, '_edgesplit/openapi.json')
 */
export async function assetText(assets: Fetcher, path: string): Promise<string> {
  let text = cache.get(path)
  if (text === undefined) {
    const res = await assets.fetch(`http://assets/${path}`)
    if (!res.ok) throw new Error(`static asset ${path}: HTTP ${res.status} (run \`npm run assets\`)`)
    cache.set(path, (text = await res.text()))
  }
  return text
}

/**
 * One of the fixed texts of assets/_edgesplit/<file>.json, by name: `texts` holds the small ones
 * (`track.js`, `docs.html`, `demo.css`…), `admin` the dashboard's shell templates.
 * @example await fixedText(c.var.services.assets, 'track.js')
 */
export async function fixedText(assets: Fetcher, name: string, file: 'texts' | 'admin' = 'texts'): Promise<string> {
  let texts = parsed.get(file)
  if (!texts) parsed.set(file, (texts = JSON.parse(await assetText(assets, `_edgesplit/${file}.json`)) as Record<string, string>))
  const text = texts[name]
  if (typeof text !== 'string') throw new Error(`static asset _edgesplit/${file}.json has no ${name} (run \`npm run assets\`)`)
  return text
}
