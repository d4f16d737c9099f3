import { describe, expect, it } from 'vitest'
import { TRACK_SCRIPT } from '../../../src/site/track-script'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Runs the tracking script in a minimal page with the given `crypto`, and returns the events it sends. */
function runPage(crypto: unknown): { sent: { id?: string; name: string }[]; track: (name: string, value?: number) => void } {
  const sent: { id?: string; name: string }[] = []
  const window = { edgesplit: { unit: 'visitor-1' } as Record<string, any>, addEventListener() {} }
  const document = { readyState: 'complete', addEventListener() {} }
  const navigator = {
    sendBeacon(_url: string, body: string) {
      sent.push(...JSON.parse(body).events)
      return true
    },
  }
  new Function('window', 'document', 'navigator', 'crypto', 'fetch', TRACK_SCRIPT)(window, document, navigator, crypto, undefined)
  return { sent, track: window.edgesplit.track }
}

describe('the tracking script', () => {
  it('should give every event its own random id with crypto.randomUUID', () => {
    const page = runPage(globalThis.crypto)
    page.track('click')
    page.track('click')
    expect(page.sent.map((e) => e.name)).toEqual(['pageview', 'click', 'click'])
    expect(page.sent.every((e) => UUID.test(e.id ?? ''))).toBe(true)
    expect(new Set(page.sent.map((e) => e.id)).size).toBe(3)
  })

  it('should still send random UUIDs on plain-http pages, where only crypto.getRandomValues exists', () => {
    const page = runPage({ getRandomValues: (a: Uint8Array) => globalThis.crypto.getRandomValues(a) })
    page.track('click')
    expect(page.sent).toHaveLength(2)
    expect(page.sent.every((e) => UUID.test(e.id ?? ''))).toBe(true)
    expect(page.sent[0]!.id).not.toBe(page.sent[1]!.id)
  })

  it('should send an id even without Web Crypto', () => {
    const page = runPage(undefined)
    page.track('click')
    expect(page.sent.every((e) => typeof e.id === 'string' && e.id.length >= 16)).toBe(true)
    expect(page.sent[0]!.id).not.toBe(page.sent[1]!.id)
  })
})
