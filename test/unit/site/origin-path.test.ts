import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../../src/core/errors'
import { originUrl, unsafePathReason } from '../../../src/site/origin-path'
import type { OriginTarget } from '../../../src/site/settings'

const BASE: OriginTarget = { kind: 'url', base: new URL('https://origin.test/base') }
const PUBLIC = new URL('https://www.site.test/page?q=1')

// Characters that matter to URL resolution and to origins that decode paths.
const PIECES = ['/', '\\', '%', '2', 'F', 'f', '5', 'C', 'c', 'E', 'e', '.', '@', ':', '?', '#', '0', '\u0000', '\t', '\n', ' ', 'evil.test', '%2F', '%5C', '%2E', '%00', '..']

describe('originUrl', () => {
  it('should keep every rewrite on the origin host, under its path, or refuse it with a 400', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }), (parts) => {
        const rewrite = parts.join('')
        let url: URL
        try {
          url = originUrl(BASE, PUBLIC, rewrite)
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError)
          expect((error as DomainError).kind).toBe('invalid')
          return
        }
        expect(url.origin).toBe('https://origin.test')
        expect(url.pathname.startsWith('/base/')).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('should keep the request host in passthrough mode, whatever the rewrite', () => {
    for (const rewrite of ['//evil.test/x', '/\\evil.test', '/%2f%2fevil.test', '/ok?next=//evil.test']) {
      try {
        expect(originUrl({ kind: 'passthrough' }, PUBLIC, rewrite).origin).toBe('https://www.site.test')
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError)
      }
    }
    expect(originUrl({ kind: 'passthrough' }, PUBLIC, '/ok?next=//evil.test').href).toBe('https://www.site.test/ok?next=//evil.test')
  })

  it('should join the origin path, the request path and its query, or a rewrite with its own query', () => {
    expect(originUrl(BASE, PUBLIC).href).toBe('https://origin.test/base/page?q=1')
    expect(originUrl(BASE, PUBLIC, '/landing-b').href).toBe('https://origin.test/base/landing-b?q=1')
    expect(originUrl(BASE, PUBLIC, '/landing-b?v=2?x').href).toBe('https://origin.test/base/landing-b?v=2?x')
  })
})

describe('unsafePathReason', () => {
  it('should accept ordinary paths, including encoded characters that name no host', () => {
    for (const path of ['/', '/pricing', '/caf%C3%A9', '/a%20b/c', '/a/%2F/b', '/.well-known/x', '/a..b/c.', '/%252F%252Fx']) {
      expect(unsafePathReason(path), path).toBeNull()
    }
  })

  it('should refuse paths that name another host, step out of the origin path, or carry control characters', () => {
    for (const path of ['//x', '/\\x', '/%2F/x', '/%5c/x', '/%2f%5Cx', '/a/../b', '/a/%2e%2E/b', '/a%2F..%2Fb', '/a/.', '/x%00', '/x%0D%0Ay', 'relative', '']) {
      expect(unsafePathReason(path), path).not.toBeNull()
    }
  })
})
