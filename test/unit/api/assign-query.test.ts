import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assignQuery, queryToRequest } from '../../../src/api/assign-query'
import { AssignRequestSchema } from '../../../src/api/assign-schema'
import { parseOrThrow } from '../../../src/core/validate'
import { queryEntries } from '../../../src/http/query-string'

/** What a call returns or throws, comparable with toEqual. */
function outcome(run: () => unknown): unknown {
  try {
    return { ok: run() }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** The schema's answer for a query: the reference assignQuery must match. */
const reference = (entries: [string, string][]) => outcome(() => parseOrThrow(AssignRequestSchema, queryToRequest(entries)))

const name = fc.constantFrom('unit', 'experiments', 'experiment', 'attr.plan', 'attr.', `attr.${'n'.repeat(65)}`, 'force', 'track', 'confirm', 'country', 'userAgent', 'path', 'host', 'attributes', 'foo', 'constructor', '__proto__', 'toString')
const value = fc.oneof(
  fc.constantFrom('', ' ', 'u1', 'a,b', ' , ', 'bench-0', 'US', 'usa', 'u', 'true', 'false', '1', '0', 'a:b', ':b', 'café', '日本'),
  fc.constantFrom(254, 256, 257, 1024, 1025, 2048, 2049).map((n) => 'x'.repeat(n)),
  fc.string({ maxLength: 12 }),
)
const query = fc.array(fc.tuple(name, value), { maxLength: 8 })

describe('assignQuery, the GET /v1/assign query', () => {
  it('should return what AssignRequestSchema returns, or throw its exact message, on random queries', () => {
    fc.assert(
      fc.property(query, (entries) => {
        const url = `https://x.test/v1/assign?${new URLSearchParams(entries)}`
        expect(outcome(() => assignQuery(url))).toEqual(reference(entries))
      }),
      { numRuns: 1500 },
    )
  })

  it('should refuse too many experiments and attributes with the schema\'s messages', () => {
    const experiments = Array.from({ length: 101 }, (_, i) => `e${i}`).join(',')
    expect(outcome(() => assignQuery(`https://x.test/v1/assign?unit=u&experiments=${experiments}`))).toEqual(reference([['unit', 'u'], ['experiments', experiments]]))
    const attrs: [string, string][] = Array.from({ length: 51 }, (_, i) => [`attr.a${i}`, 'v'])
    const got = outcome(() => assignQuery(`https://x.test/v1/assign?unit=u&${new URLSearchParams(attrs)}`))
    expect(got).toEqual(reference([['unit', 'u'], ...attrs]))
    expect(got).toEqual({ error: expect.stringContaining('at most 50 attributes') })
  })

  it('should take a plain query without the schema and give the same object', () => {
    expect(assignQuery('https://x.test/v1/assign?unit=u1&experiments=a,%20b&attr.plan=pro&track=false&country=de')).toEqual({
      unit: 'u1',
      experiments: ['a', 'b'],
      attributes: { plan: 'pro' },
      track: false,
      country: 'de',
    })
  })
})

describe('queryEntries', () => {
  const piece = fc.oneof(
    fc.constantFrom('&', '=', '+', '%', '%2', '%zz', '%20', '%2B', '%26', '%3D', '%C3%A9', '%ED%A0%80', '%C0%AF', '%E6%97', '#', '?', ' ', 'é', '🚀', 'unit', 'a'),
    fc.string({ maxLength: 4 }),
  )
  it('should list the same pairs as URL.searchParams for any request URL', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        // A request's url is already serialised by the URL parser, as workerd hands it to the Worker.
        const href = new URL(`https://x.test/v1/assign?${pieces.join('')}`).href
        expect(queryEntries(href)).toEqual([...new URL(href).searchParams])
      }),
      { numRuns: 1500 },
    )
  })

  it('should give no pairs for a URL without a query', () => {
    expect(queryEntries('https://x.test/v1/assign')).toEqual([])
  })
})
