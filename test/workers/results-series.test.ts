import { describe, expect, it } from 'vitest'
import { admin, createExperiment, uniqueKey } from './helpers'

// GET /v1/experiments/:key/results?series=: which metrics get daily series (the primary's by default).
describe('GET /v1/experiments/:key/results?series=', () => {
  it('should give the primary metric series by default, and a named one, all or none on request', async () => {
    const key = uniqueKey()
    await createExperiment({
      key,
      title: 'T',
      variants: [{ key: 'control', weight: 1 }, { key: 'treatment', weight: 1 }],
      metrics: [
        { key: 'clicks', type: 'binomial', event: 'click', role: 'secondary' },
        { key: 'conversion', type: 'binomial', event: 'conversion', role: 'primary' },
      ],
    })
    const series = async (query: string) => Object.keys((await (await admin(`/v1/experiments/${key}/results${query}`)).json<any>()).series).sort()
    expect(await series('')).toEqual(['conversion'])
    expect(await series('?series=clicks')).toEqual(['clicks'])
    expect(await series('?series=all')).toEqual(['clicks', 'conversion'])
    expect(await series('?series=none')).toEqual([])
  })
})
