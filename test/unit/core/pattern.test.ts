import fc from 'fast-check'
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

// Few letters, so random subjects often share the pattern's literals (overlaps, repeats, case).
const ALPHABET = ['a', 'b', 'A', '/', '.', '(', 'é', 'É', 'ß']
const text = (max: number, extra: string[] = []) => fc.array(fc.constantFrom(...ALPHABET, ...extra), { maxLength: max }).map((cs) => cs.join(''))
/**
 * A pattern and a subject: random, the pattern with its stars filled in (so matches are common), or
 * its first and last literal runs overlapping (too short to hold both: `ab*ba` against `aba`).
 */
const cases = text(7, ['*', '*', '*']).chain((pattern) => {
  const parts = pattern.split('*')
  const filled = fc.array(text(3), { minLength: 8, maxLength: 8 }).map((fills) => parts.reduce((acc, part, i) => acc + fills[i - 1]! + part))
  const overlapping = fc.nat(3).map((k) => parts[0]! + parts[parts.length - 1]!.slice(k))
  return fc.tuple(fc.constant(pattern), fc.oneof(text(6), filled, overlapping))
})

describe('compileGlob', () => {
  it('should agree with the anchored, case-insensitive regex reading of the pattern on short inputs', () => {
    let matches = 0
    fc.assert(
      fc.property(cases, ([pattern, subject]) => {
        const expected = reference(pattern).test(subject)
        if (expected) matches++
        expect(compileGlob(pattern).test(subject)).toBe(expected)
      }),
      { seed: 20261130, numRuns: 5000 },
    )
    expect(matches).toBeGreaterThan(500)
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
    expect(compileGlob('ab*ba').test('aba')).toBe(false)
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
