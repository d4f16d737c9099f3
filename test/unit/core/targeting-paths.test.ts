import { describe, expect, it } from 'vitest'
import { TargetingSchema } from '../../../src/core/experiment'
import { describeIssues } from '../../../src/core/validate'

describe('targeting paths', () => {
  it('should accept path patterns that start with "/" and name each one that does not', () => {
    expect(TargetingSchema.safeParse({ paths: ['/', '/pricing*', '//x'] }).success).toBe(true)
    const result = TargetingSchema.safeParse({ paths: ['/ok', 'pricing', ' /x', ''] })
    expect(describeIssues(result.error!.issues)).toEqual(['paths[1]: path patterns start with "/"', 'paths[2]: path patterns start with "/"', 'paths[3]: path patterns start with "/"'])
  })
})
