import { describe, expect, it } from 'vitest'
import { compileGlob, globSteps } from '../../../src/core/pattern'

/** The semantics the matcher must keep: `*` is `.*` (across `/`), the rest literal, anchored, case-insensitive. */
function reference(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*')
  return new RegExp(`^${body}$`, 'i')
}

/** A small deterministic generator (mulberry32), so a failure always reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ALPHABET = ['a', 'b', 'A', 'B', '/', '.', '-', '?', '(', '\\', 'é', 'É', 'ß']

function word(next: () => number, max: number, extra: string[] = []): string {
  const letters = [...ALPHABET, ...extra]
  const n = Math.floor(next() * (max + 1))
  let out = ''
  for (let i = 0; i < n; i++) out += letters[Math.floor(next() * letters.length)]
  return out
}

describe('compileGlob', () => {
  it('should agree with the anchored, case-insensitive regex reading of the pattern on short inputs', () => {
    const next = rng(20261130)
    const disagreements: string[] = []
    let matches = 0
    for (let i = 0; i < 10_000; i++) {
      const pattern = word(next, 7, ['*', '*', '*'])
      // Half the subjects are built from the pattern so that matches are common, not just misses.
      const subject = next() < 0.5 ? word(next, 9) : pattern.replace(/\*/g, () => word(next, 3))
      const expected = reference(pattern).test(subject)
      if (expected) matches++
      if (compileGlob(pattern).test(subject) !== expected) disagreements.push(`${JSON.stringify(pattern)} on ${JSON.stringify(subject)}`)
    }
    expect(disagreements).toEqual([])
    expect(matches).toBeGreaterThan(1000)
  })

  it('should match across "/" and ignore case, as path and host rules expect', () => {
    expect(compileGlob('/blog/*').test('/blog/a/b')).toBe(true)
    expect(compileGlob('/Blog/*').test('/bLOG/x')).toBe(true)
    expect(compileGlob('*.example.com').test('shop.EXAMPLE.com')).toBe(true)
    expect(compileGlob('/blog').test('/blog/')).toBe(false)
    expect(compileGlob('/a*b*c').test('/abc')).toBe(true)
    expect(compileGlob('/a*b*c').test('/acb')).toBe(false)
    expect(compileGlob('*').test('')).toBe(true)
    expect(compileGlob('').test('x')).toBe(false)
  })

  it('should decide a 4 KB path against "/*/*/*/checkout" in a number of steps linear in the input', () => {
    const path = '/a'.repeat(2048)
    const pattern = '/*/*/*/checkout'
    const miss = globSteps(pattern, path)
    expect(miss.matched).toBe(false)
    expect(miss.steps).toBeLessThanOrEqual(4 * (path.length + pattern.length))
    const hit = globSteps(pattern, `${path}/checkout`)
    expect(hit.matched).toBe(true)
    expect(hit.steps).toBeLessThanOrEqual(4 * (path.length + 9 + pattern.length))
  })

  it('should stay linear on patterns that make a backtracking matcher quadratic', () => {
    const subject = 'a'.repeat(4096)
    const pattern = `*${'a'.repeat(50)}b*`
    const { matched, steps } = globSteps(pattern, subject)
    expect(matched).toBe(false)
    expect(steps).toBeLessThanOrEqual(4 * (subject.length + pattern.length))
  })
})
