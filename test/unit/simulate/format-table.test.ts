import { describe, expect, it } from 'vitest'
import { formatTable } from '../../../tools/simulate/format-table'

describe('formatTable', () => {
  it('should pad columns and right-align the figures', () => {
    expect(formatTable([['method', 'false positives', 'rate'], ['(a) fixed', '42/1000', '4.2%'], ['(b) peeking', '306/1000', '30.6%']])).toBe(
      ['method       false positives   rate', '-----------  ---------------  -----', '(a) fixed            42/1000   4.2%', '(b) peeking         306/1000  30.6%'].join('\n'),
    )
  })
})
