import { compileExperiment, type CompiledExperiment } from '../../src/core/compile'
import { createExperiment } from '../../src/core/edit'
import { type Experiment, ExperimentCreateSchema } from '../../src/core/experiment'
import { transition } from '../../src/core/lifecycle'
import { parseOrThrow } from '../../src/core/validate'

const NOW = new Date('2026-11-01T00:00:00Z')

/** A validated experiment in draft, from the fields a test cares about (its instance id derived from the key, so fixtures are reproducible). */
export function draftExperiment(fields: Record<string, unknown> & { key: string }): Experiment {
  const input = parseOrThrow(ExperimentCreateSchema, {
    title: fields.key,
    variants: [
      { key: 'control', weight: 1 },
      { key: 'treatment', weight: 1 },
    ],
    ...fields,
  })
  return createExperiment(input, NOW, `test-${input.key.replace(/[^A-Za-z0-9-]/g, '-')}`)
}

/** A running experiment, compiled for assignment. */
export function runningExperiment(fields: Record<string, unknown> & { key: string }): CompiledExperiment {
  return compileExperiment(transition(draftExperiment(fields), { to: 'running' }, NOW))
}

/** Unit ids for statistical tests. */
export function unitIds(n: number, prefix = 'unit'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}`)
}
