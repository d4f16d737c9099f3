import { describe, expect, it } from 'vitest'
import { sampleSizeForm } from '../../src/admin/sample-size-form'
import { shell } from '../../src/admin/shell'
import { TRANSITIONS } from '../../src/admin/shell-texts'
import { DOCS_PAGE } from '../../src/api/docs-page'
import { DEMO_NOT_FOUND, DEMO_STYLESHEET, demoPage } from '../../src/demo/page'
import { demoOrigin } from '../../src/demo/site'
import { DEMO_CSS } from '../../src/demo/styles'
import { openApiDocument } from '../../src/http/openapi'
import { ROUTE_DOCS } from '../../src/route-docs'
import { ROUTES } from '../../src/routes'
import { TRACK_SCRIPT } from '../../src/site/track-script'
import { call } from './helpers'

describe('fixed texts served from static assets', () => {
  it('should answer /openapi.json with the document of the route table, as compact JSON', async () => {
    const res = await call('/openapi.json')
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.text()).toBe(JSON.stringify(openApiDocument(ROUTES, ROUTE_DOCS)))
  })

  it('should serve the /docs page and the tracking script as written in their modules', async () => {
    const docs = await call('/docs')
    expect(docs.headers.get('content-type')).toBe('text/html; charset=UTF-8')
    expect(await docs.text()).toBe(DOCS_PAGE)
    const track = await call('/_edgesplit/track.js')
    expect(track.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await track.text()).toBe(TRACK_SCRIPT)
  })

  it('should let the demo origin render every variant, the notice, its 404 page and its stylesheet as the modules do', async () => {
    for (const destination of ['Moon', 'Mars'] as const) {
      for (const button of ['White', 'Gold'] as const) {
        for (const notice of [false, true]) {
          const headers = { 'x-edgesplit-assignments': `moon_mars=${destination}; white_gold_btn=${button}`, ...(notice ? { 'x-edgesplit-flags': '{"demo-banner":true}' } : {}) }
          const res = await demoOrigin(new Request('http://demo.test/', { headers }))
          expect(await res.text(), `${destination} ${button} ${notice}`).toBe(demoPage({ destination, button }, DEMO_STYLESHEET, notice))
        }
      }
    }
    expect(await (await demoOrigin(new Request('http://demo.test/nope'))).text()).toBe(DEMO_NOT_FOUND)
    expect(await (await demoOrigin(new Request(`http://demo.test${DEMO_STYLESHEET}`))).text()).toBe(DEMO_CSS)
  })

  it('should serve the dashboard pages as shell() renders them, from their templates', async () => {
    const key = 'k$&$1'
    const page = await call(`/admin/experiments/${encodeURIComponent(key)}/edit`)
    expect(page.status).toBe(200)
    expect(await page.text()).toBe(shell({ page: 'form', title: `Edit ${key}`, experiment: key, access: 'token', transitions: TRANSITIONS }))
    expect(await (await call('/admin')).text()).toBe(shell({ page: 'list', title: 'Experiments', access: 'token', transitions: TRANSITIONS }))
    const query = { baseline: '0.2$&', mdeType: 'absolute', variants: '<3>' }
    const calculator = await call(`/admin/sample-size?${new URLSearchParams(query)}`)
    expect(await calculator.text()).toBe(shell({ page: 'sample-size', title: 'Sample size', access: 'token', transitions: TRANSITIONS, body: sampleSizeForm(query) }))
  })
})
