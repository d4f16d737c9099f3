import { describe, expect, it } from 'vitest'
import { parseAssignmentsHeader } from '../../src/core/assignment-header'
import { demoOrigin } from '../../src/demo/site'
import { encodeItems, signItems, verifyItems } from '../../src/site/assignment-cookie'
import { cspNonce, scriptJson } from '../../src/site/inject'
import { qaOverrides } from '../../src/site/qa-overrides'
import { isReservedPath } from '../../src/routes'
import { siteSettings } from '../../src/services'
import { pathMode } from '../../src/site/settings'

describe('site building blocks', () => {
  it('should tell the Worker own paths, excluded paths and site paths apart', () => {
    const s = siteSettings({ ENVIRONMENT: 'test', SITE_EXCLUDE: '/static/*, /*.xml', SITE_INCLUDE: '' })
    expect(['/v1/assign', '/api/expgroups', '/events', '/experiments', '/experiments/1', '/admin/x', '/_edgesplit/track.js', '/health', '/docs'].map((p) => pathMode(s, p, isReservedPath))).toEqual(Array(9).fill('reserved'))
    expect(['/static/a.css', '/sitemap.xml'].map((p) => pathMode(s, p, isReservedPath))).toEqual(['plain', 'plain'])
    expect(['/', '/pricing', '/eventsy', '/api-docs'].map((p) => pathMode(s, p, isReservedPath))).toEqual(['site', 'site', 'site', 'site'])
    expect(pathMode(siteSettings({ ENVIRONMENT: 'test', SITE_INCLUDE: '/shop*' }), '/blog', isReservedPath)).toBe('plain')
  })

  it('should read the origin and the cookie secret from the variables', () => {
    expect(siteSettings({ ENVIRONMENT: 'development' })).toMatchObject({ origin: { kind: 'demo' }, cookieSecret: expect.any(String), uidCookie: 'edgesplit_uid' })
    expect(siteSettings({ ENVIRONMENT: 'production', ORIGIN_URL: 'passthrough' })).toMatchObject({ origin: { kind: 'passthrough' }, cookieSecret: null })
    expect(siteSettings({ ENVIRONMENT: 'production', ORIGIN_URL: 'https://o.example.com/base', COOKIE_SECRET: 's'.repeat(20) }).origin).toEqual({ kind: 'url', base: new URL('https://o.example.com/base') })
  })

  it('should sign items for one unit and reject any change', async () => {
    const payload = encodeItems({ b_exp: { variant: 'x', epoch: 2 }, a_exp: { variant: 'y', epoch: 1 } })
    expect(payload).toBe('a_exp=y@1|b_exp=x@2')
    const value = await signItems(payload, 'unit-1', 'secret-0123456789abcdef')
    expect(await verifyItems(value, 'unit-1', 'secret-0123456789abcdef')).toEqual({ payload, items: { a_exp: { variant: 'y', epoch: 1 }, b_exp: { variant: 'x', epoch: 2 } } })
    for (const [v, unit] of [
      [value, 'unit-2'],
      [value.replace('x@2', 'y@2'), 'unit-1'],
      [value.slice(0, -1), 'unit-1'],
      [`${value}A`, 'unit-1'],
      ['', 'unit-1'],
      ['no-signature', 'unit-1'],
    ] as const) {
      expect(await verifyItems(v, unit, 'secret-0123456789abcdef')).toBeNull()
    }
  })

  it('should keep the cookie under the browser limit', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`experiment_${i}`, { variant: 'variant_a', epoch: 1 }]))
    expect(encodeItems(many).length).toBeLessThanOrEqual(3000)
  })

  it('should parse QA overrides from the query, or the cookie, and clear them', () => {
    const url = (q: string) => new URL(`https://site.test/${q}`)
    expect(qaOverrides(url('?edgesplit=a:x,b:y'), undefined)).toEqual({ forced: { a: 'x', b: 'y' }, cookie: 'a:x|b:y' })
    expect(qaOverrides(url(''), 'a:x|b:y')).toEqual({ forced: { a: 'x', b: 'y' }, cookie: undefined })
    expect(qaOverrides(url('?edgesplit=off'), 'a:x')).toEqual({ forced: undefined, cookie: null })
    expect(qaOverrides(url('?edgesplit=<bad>'), undefined)).toEqual({ forced: undefined, cookie: undefined })
  })

  it('should make page data safe for an inline script and find a CSP nonce', () => {
    expect(scriptJson({ a: '</script><!--\u2028' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}')
    expect(cspNonce("default-src 'self'; script-src 'nonce-abc+/=' 'strict-dynamic'")).toBe('abc+/=')
    expect(cspNonce("script-src 'self'")).toBeUndefined()
  })

  it('should render the demo page from the assignments header, as an origin would', async () => {
    expect(parseAssignmentsHeader('moon_mars=Mars; white_gold_btn=Gold')).toEqual({ moon_mars: 'Mars', white_gold_btn: 'Gold' })
    const page = async (header: string | null) => {
      const res = await demoOrigin(new Request('http://demo.test/', { headers: header ? { 'x-edgesplit-assignments': header } : {} }))
      return res.text()
    }
    const mars = await page('moon_mars=Mars; white_gold_btn=Gold')
    expect(mars).toContain('<h1>Journey to Mars</h1>')
    expect(mars).toMatch(/<button type="button" class="gold" data-edgesplit-event="button_click">Reserve Your Spot<\/button>/)
    expect(mars.match(/<button/g)).toHaveLength(1)
    const fallback = await page(null)
    expect(fallback).toContain('<h1>Walk on the Moon</h1>')
    expect(fallback).toContain('class="white"')
    expect(fallback).not.toMatch(/<img|url\(["']?(https?:)?\/\//)
    const css = await demoOrigin(new Request('http://demo.test/static/banners.css'))
    expect(css.headers.get('content-type')).toMatch(/text\/css/)
    expect(await css.text()).not.toMatch(/url\(/)
  })
})
