import { DEMO_NOT_FOUND, DEMO_STYLESHEET, type DemoVariants, demoPage, demoPageName } from './page'
import { DEMO_CSS } from './styles'

/**
 * The demo origin's fixed texts by name: every rendering of its page (2 destinations × 2 buttons ×
 * notice on or off), its 404 page and its stylesheet. `npm run assets` (tools/static-assets.mjs)
 * writes them to assets/_edgesplit/texts.json, which src/demo/site.ts serves from, so the Worker
 * script does not carry them.
 * @example demoTexts()['demo.css'] === DEMO_CSS
 */
export function demoTexts(): Record<string, string> {
  const texts: Record<string, string> = { 'demo.css': DEMO_CSS, 'demo-404.html': DEMO_NOT_FOUND }
  for (const destination of ['Moon', 'Mars'] as const) {
    for (const button of ['White', 'Gold'] as const) {
      const v: DemoVariants = { destination, button }
      for (const notice of [false, true]) texts[demoPageName(v, notice)] = demoPage(v, DEMO_STYLESHEET, notice)
    }
  }
  return texts
}
