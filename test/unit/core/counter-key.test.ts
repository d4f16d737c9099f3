import { describe, expect, it } from 'vitest'
import { compileExperiment, counterKeyOf } from '../../../src/core/compile'
import { createExperiment, editExperiment } from '../../../src/core/edit'
import { ExperimentCreateSchema, ExperimentSchema } from '../../../src/core/experiment'
import { transition } from '../../../src/core/lifecycle'
import { draftExperiment } from '../../shared/experiments'

describe('counter keys', () => {
  it('should give two experiments created under one key different counter keys', () => {
    const input = ExperimentCreateSchema.parse({ key: 'again', title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    const first = createExperiment(input, new Date())
    const second = createExperiment(input, new Date())
    expect(first.id).not.toBe(second.id)
    expect(counterKeyOf(first)).not.toBe(counterKeyOf(second))
    expect(compileExperiment(first).counterKey).toBe(counterKeyOf(first))
  })

  it('should keep counting a document stored before instance ids under its bare key', () => {
    const { id: _, shards: _shards, counters: _pooled, ...legacy } = draftExperiment({ key: 'legacy' })
    const parsed = ExperimentSchema.parse(legacy)
    expect(parsed.id).toBeUndefined()
    expect(compileExperiment(parsed).counterKey).toBe('legacy')
  })

  it('should never collide with a bare key, nor contain a Redis hash-tag brace', () => {
    const e = draftExperiment({ key: 'moon_mars' })
    const counterKey = counterKeyOf(e)
    // Keys never contain ":", so no experiment's bare key can equal an instance's counter key.
    expect(ExperimentSchema.safeParse({ ...e, key: counterKey }).success).toBe(false)
    expect(counterKey).not.toMatch(/[{}]/)
    expect(ExperimentSchema.safeParse({ ...e, id: 'a}b' }).success).toBe(false)
  })

  it('should keep the instance id through edits and transitions', () => {
    const e = draftExperiment({ key: 'kept' })
    const started = transition(e, { to: 'running' }, new Date('2026-11-02T00:00:00Z'))
    const edited = editExperiment(started, { title: 'New title' }, new Date('2026-11-03T00:00:00Z'))
    expect(edited.id).toBe(e.id)
  })
})
