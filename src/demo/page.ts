/** Which variants the demo page shows (the two experiments of seed 001's demo site: docs/compatibility.md). */
export type DemoVariants = { destination: 'Moon' | 'Mars'; button: 'White' | 'Gold' }

/** Where the demo page links its stylesheet (the demo origin serves it). */
export const DEMO_STYLESHEET = '/static/banners.css'

/**
 * The name of one rendering of the page among the demo's fixed texts (src/demo/texts.ts).
 * @example demoPageName({ destination: 'Mars', button: 'Gold' }, true) // 'demo-Mars-Gold-notice.html'
 */
export function demoPageName(v: DemoVariants, notice: boolean): string {
  return `demo-${v.destination}-${v.button}${notice ? '-notice' : ''}.html`
}

const COPY = {
  Moon: {
    title: 'Walk on the Moon',
    text: 'Be one of the first tourists to set foot on the lunar surface. Your journey to another world starts here.',
  },
  Mars: {
    title: 'Journey to Mars',
    text: 'Be among the first humans to set foot on the Red Planet. Experience the adventure of a lifetime.',
  },
} as const

/**
 * Seed 001's page, rendered on the server like any origin would: the headline by `moon_mars`, the
 * button's class by `white_gold_btn`, a launch notice by the `demo-banner` flag. The button only
 * declares its event; the injected tracking script sends it.
 */
export function demoPage(v: DemoVariants, stylesheet: string, notice = false): string {
  const copy = COPY[v.destination]
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A/B Test</title>
<link rel="stylesheet" href="${stylesheet}">
</head>
<body>
${notice ? '<p id="demo-notice" class="notice">Launch week: reservations open early (shown by the <code>demo-banner</code> flag)</p>\n' : ''}<div class="banner ${v.destination.toLowerCase()}">
<h1>${copy.title}</h1>
<div class="vspacer"></div>
<p>${copy.text}</p>
<button type="button" class="${v.button.toLowerCase()}" data-edgesplit-event="button_click">Reserve Your Spot</button>
</div>
<footer>edgesplit demo origin ·<a href="/experiments">experiments</a><a href="/v1/experiments/moon_mars/counts">moon_mars counts</a><a href="/docs">API docs</a></footer>
</body>
</html>
`
}

/** The demo's page for paths it does not have. */
export const DEMO_NOT_FOUND = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><h1>Not found</h1><p>The demo site has one page: <a href="/">the Moon/Mars banner</a>.</p></body></html>
`
