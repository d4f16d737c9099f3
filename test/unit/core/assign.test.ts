import { describe, expect, it } from 'vitest'
import { type AssignContext, assign } from '../../../src/core/assign'
import { compileExperiment } from '../../../src/core/compile'
import { deviceClass, isBot } from '../../../src/core/device'
import { transition } from '../../../src/core/lifecycle'
import { draftExperiment, runningExperiment } from '../../shared/experiments'

const base: AssignContext = { unit: 'user-456', bot: false, device: 'desktop', attributes: {} }
const at = new Date('2026-11-02T00:00:00Z')

describe('assign: every assignment says why', () => {
  it('should give hash for an enrolled unit, with the variant payload', async () => {
    const c = runningExperiment({ key: 'p', variants: [{ key: 'a', weight: 1, payload: { model: 'v1' } }, { key: 'b', weight: 1, payload: { model: 'v2' } }] })
    const a = await assign(c, base)
    expect(a).toMatchObject({ experiment: 'p', reason: 'hash', enrolled: true, epoch: 1, allocationVersion: 1 })
    expect(a.payload).toEqual(a.variant === 'a' ? { model: 'v1' } : { model: 'v2' })
  })

  it('should give the fallback with reason fallback when the experiment is not running', async () => {
    const draft = draftExperiment({ key: 'd', fallback: 'treatment' })
    expect(await assign(compileExperiment(draft), base)).toMatchObject({ variant: 'treatment', reason: 'fallback', enrolled: false })
    const running = transition(draft, { to: 'running' }, at)
    const paused = transition(running, { to: 'paused' }, at)
    expect(await assign(compileExperiment(paused), base)).toMatchObject({ variant: 'treatment', reason: 'fallback', enrolled: false })
    const stopped = transition(paused, { to: 'stopped' }, at)
    expect(await assign(compileExperiment(stopped), base)).toMatchObject({ reason: 'fallback' })
  })

  it('should give everyone the rolled-out variant with reason rollout, bots included', async () => {
    const rolled = transition(transition(draftExperiment({ key: 'r' }), { to: 'running' }, at), { to: 'rollout', variant: 'treatment' }, at)
    for (const unit of ['a', 'b', 'c', 'd']) {
      expect(await assign(compileExperiment(rolled), { ...base, unit, bot: unit === 'd' })).toMatchObject({ variant: 'treatment', reason: 'rollout', enrolled: false })
    }
  })

  it('should never enrol bots', async () => {
    expect(await assign(runningExperiment({ key: 'b' }), { ...base, bot: true })).toMatchObject({ variant: 'control', reason: 'bot', enrolled: false })
  })

  it('should honour a forced variant only where QA overrides are allowed, and never enrol it', async () => {
    const allowed = runningExperiment({ key: 'qa', qaOverrides: true })
    const refused = runningExperiment({ key: 'noqa' })
    expect(await assign(allowed, { ...base, forced: { qa: 'treatment' } })).toMatchObject({ variant: 'treatment', reason: 'forced', enrolled: false })
    expect((await assign(refused, { ...base, forced: { noqa: 'treatment' } })).reason).toBe('hash')
    expect((await assign(allowed, { ...base, forced: { qa: 'nope' } })).reason).toBe('hash')
    const draft = compileExperiment(draftExperiment({ key: 'qa', qaOverrides: true }))
    expect(await assign(draft, { ...base, forced: { qa: 'treatment' } })).toMatchObject({ variant: 'treatment', reason: 'forced' })
  })

  it('should apply targeting on country, device, path, host and attributes', async () => {
    const c = runningExperiment({
      key: 't',
      targeting: {
        countries: ['US', 'CA'],
        devices: ['mobile'],
        paths: ['/shop/*'],
        hosts: ['*.example.com'],
        attributes: [
          { attribute: 'plan', op: 'in', value: ['pro', 'team'] },
          { attribute: 'age', op: 'gte', value: 18 },
          { attribute: 'email', op: 'regex', value: '@example\\.com$' },
          { attribute: 'beta', op: 'exists' },
        ],
      },
    })
    const ok: AssignContext = {
      ...base,
      country: 'US',
      device: 'mobile',
      path: '/shop/cart',
      host: 'www.example.com',
      attributes: { plan: 'pro', age: 30, email: 'a@example.com', beta: true },
    }
    expect((await assign(c, ok)).reason).toBe('hash')
    const misses: Partial<AssignContext>[] = [
      { country: 'FR' },
      { country: undefined },
      { device: 'desktop' },
      { path: '/blog' },
      { host: 'example.org' },
      { attributes: { ...ok.attributes, plan: 'free' } },
      { attributes: { ...ok.attributes, age: 17 } },
      { attributes: { ...ok.attributes, age: '30' } },
      { attributes: { ...ok.attributes, email: 'a@evil.com' } },
      { attributes: { plan: 'pro', age: 30, email: 'a@example.com' } },
    ]
    for (const miss of misses) expect(await assign(c, { ...ok, ...miss })).toMatchObject({ reason: 'targeting', variant: 'control', enrolled: false })
  })

  it('should read the sticky record only when weights changed or the experiment restarted', async () => {
    const reads: string[] = []
    const sticky = async (experiment: string, unit: string) => {
      reads.push(`${experiment}/${unit}`)
      return { variant: 'treatment', epoch: 1 }
    }
    const fresh = runningExperiment({ key: 's' })
    expect((await assign(fresh, base, sticky)).reason).toBe('hash')
    expect(reads).toEqual([])
    const restarted = transition(transition(fresh.experiment, { to: 'paused' }, at), { to: 'running' }, at)
    const a = await assign(compileExperiment(restarted), base, sticky)
    // First assigned in epoch 1, now epoch 2: keeps its variant, excluded from the new analysis.
    expect(a).toMatchObject({ variant: 'treatment', reason: 'sticky', enrolled: false, epoch: 2 })
    expect(reads).toEqual(['s/user-456'])
  })
})

describe('device class and bots', () => {
  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', 'mobile'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120 Mobile Safari/537.36', 'mobile'],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)', 'tablet'],
    ['Mozilla/5.0 (Linux; Android 13; SM-X700) Chrome/120 Safari/537.36', 'tablet'],
    ['Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36', 'desktop'],
    [undefined, 'desktop'],
  ])('should classify %s as %s', (ua, expected) => expect(deviceClass(ua)).toBe(expected))

  it.each([
    ['Googlebot/2.1 (+http://www.google.com/bot.html)', true],
    ['Mozilla/5.0 (compatible; bingbot/2.0)', true],
    ['facebookexternalhit/1.1', true],
    ['Slackbot-LinkExpanding 1.0', true],
    ['Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120 Safari/537.36', false],
    ['curl/8.5.0', false],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15', false],
  ])('should flag %s as bot: %s', (ua, expected) => expect(isBot(ua)).toBe(expected))
})
