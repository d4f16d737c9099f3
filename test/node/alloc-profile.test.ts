import { describe, expect, it } from 'vitest'
import { allocationsByFunction } from '../../tools/bench/profile.mjs'

// A sampling heap profile's tree as V8 reports it: bytes each call site allocated itself, by path.
const frame = (functionName: string, lineNumber = -1) => ({ functionName, url: lineNumber < 0 ? '' : 'file:///x/index.js', lineNumber })
const node = (functionName: string, lineNumber: number, selfSize: number, children: unknown[] = []) => ({ callFrame: frame(functionName, lineNumber), selfSize, children })
const PROFILE = {
  head: node('(root)', -1, 0, [
    // site allocates 100 itself; under it, walk allocates 40 and, called again by itself, 20 more.
    node('site', 9, 100, [node('walk', 19, 40, [node('walk', 19, 20)])]),
    node('(V8 API)', -1, 60),
  ]),
}

describe('the allocation profile summary (npm run bench -- --alloc)', () => {
  it('should give bytes per request each function allocated itself and under it, a recursive call counted once', () => {
    const { perRequest, rows } = allocationsByFunction(PROFILE, 2)
    expect(perRequest).toBe(110)
    const byName = Object.fromEntries(rows.map((r: { name: string }) => [r.name, r]))
    expect(byName.site).toEqual({ name: 'site', where: 'index.js:10', self: 50, total: 80 })
    expect(byName.walk).toEqual({ name: 'walk', where: 'index.js:20', self: 30, total: 30 })
    expect(byName['(V8 API)']).toEqual({ name: '(V8 API)', where: '', self: 30, total: 30 })
    expect(rows.map((r: { name: string }) => r.name).slice(0, 2)).toEqual(['site', 'walk'])
  })
})
