import type { RatioGroup } from '../types'
import { ddAdd } from './dd-add'
import { ddDiv } from './dd-div'

/** Σxt/Σyt − Σxc/Σyc with one final rounding (both quotients in double-double), so nearly equal ratios lose no digits. */
export function ratioDifference(t: RatioGroup, c: RatioGroup): number {
  const rt = ddDiv([t.sumX, 0], [t.sumY, 0])
  const rc = ddDiv([c.sumX, 0], [c.sumY, 0])
  const d = ddAdd(rt, [-rc[0], -rc[1]])
  return d[0] + d[1]
}
