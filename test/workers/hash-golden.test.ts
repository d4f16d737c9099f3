import { describe, expect, it } from 'vitest'
import { GOLDEN, recompute } from '../shared/golden'

describe('hashing spec v1 inside workerd', () => {
  it('should reproduce every golden vector with the runtime\'s own Web Crypto', async () => {
    for (const [name, v] of GOLDEN) {
      const got = await recompute(v)
      expect({ name, u: got.u, assignments: got.assignments }).toEqual({ name, u: v.u, assignments: v.assignments })
    }
  })
})
