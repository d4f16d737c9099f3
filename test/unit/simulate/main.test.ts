import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../tools/simulate/main'

describe('npm run simulate', () => {
  afterEach(() => vi.restoreAllMocks())

  it('should print its usage with --help', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    expect(await main(['--help'])).toBe(0)
    expect(log.mock.calls[0]![0]).toMatch(/^npm run simulate -- \[mode\] \[options\]/)
  })

  it('should explain a bad argument and exit with 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await main(['--visits', '0'])).toBe(2)
    expect(error.mock.calls[0]![0]).toMatch(/^simulate: --visits: expected a whole number ≥ 1, got "0"/)
  })

  it('should print the regret table for --bandit', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    expect(await main(['--bandit', '--horizon', '2000', '--runs', '2'])).toBe(0)
    const out = log.mock.calls.map((c) => String(c[0])).join('\n')
    for (const name of ['fixed 50/50', 'thompson', 'ucb1', 'epsilon_greedy']) expect(out).toContain(name)
  })

  it('should say how to start a server when none answers', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await main(['--visits', '1', '--url', 'http://127.0.0.1:9'])).toBe(1)
    expect(error.mock.calls[0]![0]).toMatch(/no edgesplit answering at http:\/\/127\.0\.0\.1:9 .*npm run dev/)
  })
})
