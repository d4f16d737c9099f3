import { describe, expect, it } from 'vitest'
import { hashToUnitInterval } from '../../../src/core/hash'
import { seededRandom } from '../../../src/core/random'
import { hashToUnitIntervalSync } from '../../../tools/simulate/hash-sync'
import { GOLDEN } from '../../shared/golden'

describe('hashToUnitIntervalSync, the simulator\'s synchronous hash', () => {
  it.each(GOLDEN)('should reproduce the golden vector %s bit for bit', (_name, v) => {
    expect(hashToUnitIntervalSync(v.unit, v.salt)).toBe(v.u)
  })

  it('should equal hashToUnitInterval (Web Crypto) on 3000 random ids, long and non-ASCII ones included', async () => {
    const rng = seededRandom('hash-sync')
    const alphabet = ['a', 'Z', '0', '-', ':', 'é', '日', '🚀', ' ']
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(rng() * (i % 10 === 0 ? 200 : 40))
      const unit = Array.from({ length }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('')
      const salt = i % 3 === 0 ? 'moon_mars' : `aa_${i}`
      expect(hashToUnitIntervalSync(unit, salt)).toBe(await hashToUnitInterval(unit, salt))
    }
  })
})
