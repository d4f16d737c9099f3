import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Flag, FlagCreateSchema, FlagSchema } from '../../../src/core/flag'
import { createFlag, editFlag } from '../../../src/core/flag-edit'
import { compileFlag, evaluateFlag, rolloutRanges, rolloutSalt } from '../../../src/core/flag-evaluate'
import { chooseRange } from '../../../src/core/bucket'
import { hashToUnitInterval } from '../../../src/core/hash'
import { describeIssues } from '../../../src/core/validate'
import vectors from '../../fixtures/flag-hash-vectors.json'

const NOW = new Date('2026-11-30T12:00:00Z')
const flag = (body: Record<string, unknown>): Flag => createFlag(FlagCreateSchema.parse({ key: 'f', type: 'boolean', default: false, ...body }), NOW)
const ctx = (unit: string, extra: Record<string, unknown> = {}) => ({ unit, device: 'desktop' as const, attributes: {}, ...extra })
const orNull = (i: number) => (i < 0 ? null : i)
const problems = (body: Record<string, unknown>) => {
  const r = FlagCreateSchema.safeParse({ key: 'f', type: 'boolean', default: false, ...body })
  return r.success ? [] : describeIssues(r.error.issues)
}

describe('flag schema', () => {
  it('should fill enabled and rules and accept each rule kind', () => {
    const f = flag({ rules: [{ id: 'a', serve: { value: true } }, { id: 'b', serve: { rollout: [{ value: true, weight: 10 }] } }, { id: 'c', serve: { experiment: 'exp' } }] })
    expect(f).toMatchObject({ enabled: true, version: 1, createdAt: NOW.toISOString() })
    expect(f.rules.map((r) => Object.keys(r.serve)[0])).toEqual(['value', 'rollout', 'experiment'])
  })

  it.each([
    ['boolean', 'yes', 'default: must be a boolean'],
    ['string', 3, 'default: must be a string'],
    ['number', '3', 'default: must be a number'],
    ['number', null, 'default: must be a number'],
  ])('should refuse a %s flag whose default is %j', (type, value, message) => {
    expect(problems({ type, default: value }).join('; ')).toContain(message)
  })

  it('should name the field of every served value of the wrong type', () => {
    const lines = problems({ rules: [{ id: 'a', serve: { value: 'on' } }, { id: 'b', serve: { rollout: [{ value: true, weight: 5 }, { value: 1, weight: 5 }] } }] })
    expect(lines).toEqual([expect.stringMatching(/^rules\[0\]\.serve\.value: must be a boolean/), expect.stringMatching(/^rules\[1\]\.serve\.rollout\[1\]\.value: must be a boolean/)])
  })

  it('should accept any JSON value for a json flag', () => {
    expect(problems({ type: 'json', default: { theme: 'dark', sizes: [1, 2] } })).toEqual([])
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a duplicate rule id', { rules: [{ id: 'a', serve: { value: true } }, { id: 'a', serve: { value: false } }] }, /rules\[1\]\.id: duplicate rule id/],
    ['a rollout over 100%', { rules: [{ id: 'a', serve: { rollout: [{ value: true, weight: 60 }, { value: false, weight: 50 }] } }] }, /rules\[0\]\.serve\.rollout: .*at most 100/],
    ['a zero weight', { rules: [{ id: 'a', serve: { rollout: [{ value: true, weight: 0 }] } }] }, /weight must be greater than 0/],
    ['an unknown type', { type: 'date' }, /type must be one of/],
    ['a bad key', { key: 'has space' }, /^key: must be 1-64/],
    ['an unknown field', { colour: 'red' }, /colour/],
    ['bad targeting', { rules: [{ id: 'a', when: { countries: ['usa'] }, serve: { value: true } }] }, /rules\[0\]\.when\.countries\[0\]: country codes/],
    ['a serve of two kinds', { rules: [{ id: 'a', serve: { value: true, experiment: 'e' } }] }, /rules\[0\]\.serve/],
  ])('should refuse %s with a field error', (_what, body, message) => {
    expect(problems(body).join('; ')).toMatch(message)
  })

  it('should check an edit whole and count its version', () => {
    const f = flag({})
    expect(editFlag(f, { enabled: false }, NOW)).toMatchObject({ enabled: false, version: 2 })
    expect(() => editFlag(f, { type: 'string' }, NOW)).toThrow(/default: must be a string/)
    expect(FlagSchema.safeParse(editFlag(f, { type: 'string', default: 'off' }, NOW)).success).toBe(true)
  })
})

describe('flag evaluation', () => {
  it('should serve the default with reason flag_disabled when the flag is off, whatever its rules', async () => {
    const f = compileFlag(flag({ enabled: false, rules: [{ id: 'all', serve: { value: true } }] }))
    expect(await evaluateFlag(f, ctx('u1'))).toEqual({ kind: 'value', value: false, reason: 'flag_disabled' })
  })

  it('should let the first matching rule decide, in order', async () => {
    const f = compileFlag(
      flag({
        type: 'string',
        default: 'none',
        rules: [
          { id: 'us', when: { countries: ['US'] }, serve: { value: 'us' } },
          { id: 'pro', when: { attributes: [{ attribute: 'plan', op: 'eq', value: 'pro' }] }, serve: { value: 'pro' } },
          { id: 'all', serve: { value: 'all' } },
        ],
      }),
    )
    expect(await evaluateFlag(f, ctx('u', { country: 'US', attributes: { plan: 'pro' } }))).toMatchObject({ value: 'us', reason: 'rule:us', rule: 'us' })
    expect(await evaluateFlag(f, ctx('u', { country: 'FR', attributes: { plan: 'pro' } }))).toMatchObject({ value: 'pro', reason: 'rule:pro' })
    expect(await evaluateFlag(f, ctx('u', { country: 'FR' }))).toMatchObject({ value: 'all', reason: 'rule:all' })
  })

  it('should answer targeting when rules exist and none matches, default when there are no rules', async () => {
    const targeted = compileFlag(flag({ rules: [{ id: 'us', when: { countries: ['US'] }, serve: { value: true } }] }))
    expect(await evaluateFlag(targeted, ctx('u', { country: 'FR' }))).toEqual({ kind: 'value', value: false, reason: 'targeting' })
    expect(await evaluateFlag(compileFlag(flag({})), ctx('u'))).toEqual({ kind: 'value', value: false, reason: 'default' })
  })

  it('should let units outside a rollout fall through to the next rule, and answer default when none serves them', async () => {
    const f = flag({ rules: [{ id: 'ramp', serve: { rollout: [{ value: true, weight: 30 }] } }] })
    const next = compileFlag({ ...f, type: 'string', default: 'd', rules: [{ id: 'ramp', serve: { rollout: [{ value: 'in', weight: 30 }] } }, { id: 'rest', serve: { value: 'rest' } }] })
    const only = compileFlag(f)
    for (let i = 0; i < 200; i++) {
      const u = await hashToUnitInterval(`u${i}`, rolloutSalt('f', 'ramp'))
      const inside = u < 0.3
      expect(await evaluateFlag(next, ctx(`u${i}`))).toMatchObject(inside ? { value: 'in', reason: 'rollout', rule: 'ramp' } : { value: 'rest', reason: 'rule:rest' })
      expect(await evaluateFlag(only, ctx(`u${i}`))).toMatchObject(inside ? { value: true, reason: 'rollout' } : { value: false, reason: 'default' })
    }
  })

  it('should hand an experiment rule back to the caller with its rule id', async () => {
    const f = compileFlag(flag({ rules: [{ id: 'test', serve: { experiment: 'checkout' } }] }))
    expect(await evaluateFlag(f, ctx('u'))).toEqual({ kind: 'experiment', experiment: 'checkout', rule: 'test' })
  })

  it('should split a rollout in proportion to its weights over the first total percent', () => {
    expect(rolloutRanges([10])).toEqual([[0, 0.1]])
    expect(rolloutRanges([25, 25])).toEqual([[0, 0.25], [0.5, 0.75]])
    expect(rolloutRanges([10, 90])).toEqual([[0, 0.1], [0.1, 1]])
  })

  it('should never move a unit already in when a rule is ramped up (fast-check)', async () => {
    const units = Array.from({ length: 300 }, (_, i) => `unit-${i}`)
    const us = await Promise.all(units.map((u) => hashToUnitInterval(u, rolloutSalt('f', 'r'))))
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        (ratios, from, factor) => {
          // The same split among values, at a lower and a higher total percentage.
          const sum = ratios.reduce((a, b) => a + b, 0)
          const low = ratios.map((r) => (r / sum) * 100 * from)
          const high = low.map((w) => w * Math.min(factor, 1 / from))
          const before = rolloutRanges(low)
          const after = rolloutRanges(high)
          for (const u of us) {
            const i = chooseRange(u, before)
            if (i >= 0) expect(chooseRange(u, after)).toBe(i)
          }
        },
      ),
      { seed: 20261130, numRuns: 500 },
    )
  })

  it('should reproduce the flag hash golden vectors from Python hashlib', async () => {
    for (const v of vectors.vectors) {
      const u = await hashToUnitInterval(v.unit, rolloutSalt(v.flag, v.rule))
      expect(u).toBe(v.u)
      expect(vectors.rollouts.map((w) => orNull(chooseRange(u, rolloutRanges(w))))).toEqual(v.indexes)
    }
  })

  it('should serve the rollout value the golden vectors name', async () => {
    const rollout = vectors.rollouts.findIndex((w) => w.length === 3 && w[0] === 5)
    const f = compileFlag({ ...flag({}), key: 'new-checkout', type: 'number', default: -1, rules: [{ id: 'beta', serve: { rollout: [{ value: 0, weight: 5 }, { value: 1, weight: 10 }, { value: 2, weight: 20 }] } }] })
    for (const v of vectors.vectors.filter((x) => x.flag === 'new-checkout' && x.rule === 'beta')) {
      const index = v.indexes[rollout]
      expect(await evaluateFlag(f, ctx(v.unit))).toMatchObject(index === null ? { value: -1, reason: 'default' } : { value: index, reason: 'rollout' })
    }
  })
})
