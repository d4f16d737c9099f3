import { describe, expect, it } from 'vitest'
import { parseSimulateArgs } from '../../../tools/simulate/parse-args'
import { parseProbs } from '../../../tools/simulate/parse-probs'

describe('the simulator command line', () => {
  it('should default to 1000 visits against the dev server with seed 001\'s click probabilities', () => {
    expect(parseSimulateArgs([], {})).toEqual({
      mode: 'visits',
      visits: 1000,
      url: 'http://127.0.0.1:8787',
      probs: { moon_mars: { Moon: 0.1, Mars: 0.2 } },
      concurrency: 16,
      token: undefined,
      seed: undefined,
      progress: true,
    })
  })

  it('should read visits, probabilities, the URL and the admin token', () => {
    const cmd = parseSimulateArgs(['--visits', '5000', '--probs', 'moon_mars:Moon=0.1,Mars=0.2', '--probs', 'white_gold_btn:White=0.1,Gold=0.12', '--url', 'http://localhost:9000/'], { EDGESPLIT_ADMIN_TOKEN: 't' })
    expect(cmd).toMatchObject({ mode: 'visits', visits: 5000, url: 'http://localhost:9000', token: 't', probs: { moon_mars: { Moon: 0.1, Mars: 0.2 }, white_gold_btn: { White: 0.1, Gold: 0.12 } } })
  })

  it('should read the bandit and A/A modes with their defaults', () => {
    expect(parseSimulateArgs(['--bandit'], {})).toEqual({ mode: 'bandit', probs: [0.1, 0.2], labels: ['moon_mars:Moon', 'moon_mars:Mars'], horizon: 20000, batchSize: 500, runs: 20, seed: 'edgesplit-bandit' })
    expect(parseSimulateArgs(['--aa', '1000'], {})).toEqual({ mode: 'aa', experiments: 1000, units: 5000, peekEvery: 100, rate: 0.1, alpha: 0.05, nStar: 5000, seed: 'edgesplit-aa', progress: true })
  })

  it.each([
    [['--visits', 'many'], /--visits: expected a whole number ≥ 1, got "many"/],
    [['--visits', '10', '--aa', '5'], /choose one of --visits, --bandit and --aa/],
    [['--aa', '10', '--rate', '1.5'], /--rate: expected a number in \(0, 1\)/],
    [['--probs', 'moon_mars'], /expected "experiment:Variant=p,Variant=p"/],
    [['--probs', 'moon_mars:Moon=2'], /"Moon=2" in "moon_mars:Moon=2" must be Variant=p with p in \[0, 1\]/],
    [['--bandit', '--probs', 'x:A=0.1'], /--bandit needs at least two arms/],
    [['--url', 'localhost:8787'], /--url: expected an http\(s\) URL/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('should refuse %j with a message', (argv, message) => {
    expect(() => parseSimulateArgs(argv, {})).toThrow(message)
  })

  it('should merge probability specs joined with ";"', () => {
    expect(parseProbs(['a:X=0.1;b:Y=0.2,Z=0', 'a:W=1'])).toEqual({ a: { X: 0.1, W: 1 }, b: { Y: 0.2, Z: 0 } })
  })
})
