import { DomainError } from './errors'
import type { Experiment } from './experiment'
import { fitsType, type Flag, type FlagCreate, type FlagPatch, FlagSchema } from './flag'
import { variantValue } from './flag-evaluate'
import { parseOrThrow } from './validate'

/** A new flag at version 1 from a validated create body. */
export function createFlag(input: FlagCreate, now: Date): Flag {
  const at = now.toISOString()
  return parseOrThrow(FlagSchema, { ...input, version: 1, createdAt: at, updatedAt: at })
}

/**
 * Applies an edit (a patch, or the kill switch's `{ enabled: false }`): the merged flag is checked
 * whole, so a type change must come with values of the new type.
 */
export function editFlag(f: Flag, patch: FlagPatch, now: Date): Flag {
  const fields = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'version'))
  return parseOrThrow(FlagSchema, { ...f, ...fields, version: f.version + 1, updatedAt: now.toISOString() })
}

/** Replaces a flag with a full body (PUT): fields the body leaves out are gone; creation time kept, version counted. */
export function replaceFlag(f: Flag, input: FlagCreate, now: Date): Flag {
  return parseOrThrow(FlagSchema, { ...input, version: f.version + 1, createdAt: f.createdAt, updatedAt: now.toISOString() })
}

/**
 * Refuses a flag whose experiment rules name an experiment that does not exist, or one whose
 * variants serve values of another type (variantValue), naming the rule's field.
 */
export function checkFlagExperiments(f: Flag, experimentOf: (key: string) => Experiment | undefined): void {
  const lines: string[] = []
  f.rules.forEach((rule, i) => {
    if (!('experiment' in rule.serve)) return
    const e = experimentOf(rule.serve.experiment)
    const field = `rules[${i}].serve.experiment`
    if (!e) lines.push(`${field}: experiment "${rule.serve.experiment}" does not exist`)
    else {
      const wrong = e.variants.filter((v) => !fitsType(f.type, variantValue(v))).map((v) => v.key)
      if (wrong.length) lines.push(`${field}: variants ${wrong.join(', ')} of "${e.key}" serve no ${f.type} (a flag serves a variant's payload.value, else its key)`)
    }
  })
  if (lines.length) throw new DomainError('invalid', 'invalid_request', lines.join('; '), lines)
}
