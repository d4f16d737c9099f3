import { describe, expect, it } from 'vitest'
import { compileSafeRegex, SAFE_REGEX_MAX_INPUT, safeRegexProblem, safeRegexSteps } from '../../../src/core/safe-regex'
import { seededRandom } from '../../../src/core/random'
import { compileTargeting } from '../../../src/core/targeting'


const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!

/** A random pattern from the supported subset, over a tiny alphabet so that matches are frequent. */
function pattern(next: () => number, depth = 0): string {
  const atoms = ['a', 'b', '-', '.', '\\d', '\\w', '\\s', '\\W', '[ab]', '[^a]', '[a-c0-2]', '\\.', '1', ' ']
  let out = ''
  const n = 1 + Math.floor(next() * 4)
  for (let i = 0; i < n; i++) {
    const r = next()
    let atom = r < 0.15 && depth < 2 ? `(${pattern(next, depth + 1)}|${pattern(next, depth + 1)})` : r < 0.22 && depth < 2 ? `(?:${pattern(next, depth + 1)})` : pick(next, atoms)
    const q = next()
    if (q < 0.12) atom += '*'
    else if (q < 0.22) atom += '+'
    else if (q < 0.3) atom += '?'
    else if (q < 0.36) atom += pick(next, ['{2}', '{0,2}', '{1,}', '*?', '+?'])
    out += atom
  }
  const anchors = next()
  if (anchors < 0.25) out = `^${out}`
  else if (anchors < 0.5) out = `${out}$`
  else if (anchors < 0.6) out = `\\b${out}\\b`
  return out
}

function subject(next: () => number): string {
  const n = Math.floor(next() * 8)
  let s = ''
  for (let i = 0; i < n; i++) s += pick(next, ['a', 'b', 'c', '-', '.', '1', '3', ' ', '_', 'é'])
  return s
}

describe('compileSafeRegex', () => {
  it('should agree with JavaScript regular expressions on the supported subset', () => {
    const next = seededRandom(11)
    const disagreements: string[] = []
    let matches = 0
    for (let i = 0; i < 3000; i++) {
      const source = pattern(next)
      expect(safeRegexProblem(source), source).toBeUndefined()
      const safe = compileSafeRegex(source)
      const native = new RegExp(source)
      for (let j = 0; j < 5; j++) {
        const s = subject(next)
        const expected = native.test(s)
        if (expected) matches++
        if (safe.test(s) !== expected) disagreements.push(`/${source}/ on ${JSON.stringify(s)}: expected ${expected}`)
      }
    }
    expect(disagreements).toEqual([])
    expect(matches).toBeGreaterThan(1000)
  })

  it('should match the everyday targeting patterns', () => {
    expect(compileSafeRegex('@example\\.com$').test('ann@example.com')).toBe(true)
    expect(compileSafeRegex('@example\\.com$').test('ann@example.com.evil')).toBe(false)
    expect(compileSafeRegex('^v\\d+\\.\\d+$').test('v12.3')).toBe(true)
    expect(compileSafeRegex('^(ios|android)-[0-9]{2,3}$').test('android-123')).toBe(true)
    expect(compileSafeRegex('^(ios|android)-[0-9]{2,3}$').test('android-1234')).toBe(false)
    expect(compileSafeRegex('\\u00e9t\\x41').test('été étA')).toBe(true)
  })

  it('should refuse backreferences, lookaround and over-long patterns, saying why', () => {
    expect(safeRegexProblem('(a)\\1')).toMatch(/backreferences are not supported/)
    expect(safeRegexProblem('(?<x>a)\\k<x>')).toMatch(/backreferences are not supported/)
    expect(safeRegexProblem('a(?=b)')).toMatch(/lookahead and lookbehind are not supported/)
    expect(safeRegexProblem('(?<!a)b')).toMatch(/lookahead and lookbehind are not supported/)
    expect(safeRegexProblem('a'.repeat(257))).toMatch(/at most 256 characters/)
    expect(safeRegexProblem('(')).toMatch(/not a valid regular expression/)
    expect(safeRegexProblem('a{2,1}')).toMatch(/not a valid regular expression/)
    expect(safeRegexProblem('*a')).toMatch(/not a valid regular expression/)
    expect(safeRegexProblem('(a{1,1000}){1,1000}')).toMatch(/too large/)
  })

  it('should decide catastrophic-backtracking patterns in steps linear in the input', () => {
    const input = `${'a'.repeat(SAFE_REGEX_MAX_INPUT - 1)}!`
    for (const source of ['(a+)+$', '^(a|a)*$', '(a*)*b', 'a*a*a*a*a*a*a*a*c', '(\\w+\\s?)+$']) {
      const { matched, steps, size } = safeRegexSteps(source, input)
      expect(matched, source).toBe(false)
      expect(steps, source).toBeLessThanOrEqual((input.length + 1) * 2 * size)
      expect(size, source).toBeLessThan(64)
    }
  })
})

describe('the regex targeting operator', () => {
  it('should test only the first 1024 characters of an attribute', () => {
    const allow = compileTargeting({ attributes: [{ attribute: 'ref', op: 'regex', value: 'x$' }] })
    const ctx = (ref: string) => ({ device: 'desktop' as const, attributes: { ref } })
    expect(allow(ctx('abcx'))).toBe(true)
    expect(allow(ctx(`${'a'.repeat(SAFE_REGEX_MAX_INPUT - 1)}x`))).toBe(true)
    expect(allow(ctx(`${'a'.repeat(SAFE_REGEX_MAX_INPUT)}x`))).toBe(false)
  })
})
