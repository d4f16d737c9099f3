import { type Flag, type FlagCreate, type FlagPatch, FlagSchema } from './flag'
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
