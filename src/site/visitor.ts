import type { StickyRecord } from '../core/assign'
import { formatAssignmentsHeader } from '../core/assignment-header'
import { type Assignment, isFreshAssignment } from '../core/assignment-schema'
import { compileGlob } from '../core/pattern'
import type { AssignmentFlow, AssignOutcome, ConfigSnapshot } from '../flows/assignment'
import { validUid } from '../http/cookies'
import { requestFacts } from '../http/request-facts'
import { type AssignmentItems, encodeItems, instanceTag, signItems, verifyItems } from './assignment-cookie'
import { qaOverrides } from './qa-overrides'
import type { SiteSettings } from './settings'

/** One visitor's assignments for one request, and what the response must remember of them. */
export type Visitor = {
  unit: string
  bot: boolean
  assignments: Assignment[]
  /** `key=variant; key=variant`: the origin's `x-edgesplit-assignments`. */
  header: string
  /** The origin path a split-URL variant serves instead of the requested one. */
  rewrite: string | undefined
  /** The assignments whose exposure is still to be written (the cookie holds no acknowledgement of it). */
  unexposed: Assignment[]
  /** What the exposures' segments are read from (the request's country and device). */
  context?: AssignOutcome['context']
  /** What the signed assignment cookie is made of (see assignmentCookie); absent without a secret. */
  cookie: CookieDraft | undefined
  /** The QA cookie to set (a value), clear (null) or leave (undefined). */
  qaCookie: string | null | undefined
}

/** The assignment cookie before the exposure write has answered: its items, and the cookie it replaces. */
type CookieDraft = { items: AssignmentItems; previous: string | undefined; present: boolean; secret: string }

/**
 * Assigns a visitor to every active experiment that targets the request, with one id for the
 * whole request: the id cookie's, or a new one. Sticky records come from the signed cookie when
 * it verifies, else from the store (never for a brand-new id, which cannot have any).
 */
export async function assignVisitor(
  request: Request,
  url: URL,
  cookies: Record<string, string>,
  settings: SiteSettings,
  snapshot: ConfigSnapshot,
  assignment: AssignmentFlow,
  newId: () => string,
): Promise<Visitor> {
  const existing = validUid(cookies[settings.uidCookie])
  const unit = existing ?? newId()
  const qa = qaOverrides(url, cookies[settings.qaCookie])
  const facts = requestFacts(request)
  const secret = settings.cookieSecret
  const signed = secret && existing ? await verifyItems(cookies[settings.assignmentCookie], unit, secret) : null
  const known = signed ? knownRecords(signed.items, snapshot) : undefined
  const overrides = { path: url.pathname, host: url.hostname, forced: qa.forced }
  const { assignments, sticky, context } = await assignment.assign({ unit, facts, overrides, snapshot, known, stored: existing !== undefined })
  const acked = acknowledged(assignments, known)
  return {
    unit,
    bot: facts.bot,
    assignments,
    unexposed: assignments.filter((a) => !acked.has(a.experiment)),
    context,
    header: formatAssignmentsHeader(assignments),
    rewrite: request.method === 'GET' || request.method === 'HEAD' ? splitUrl(assignments, snapshot, url.pathname) : undefined,
    cookie: secret ? { items: nextItems(known ?? {}, assignments, sticky, snapshot, acked), previous: signed?.payload, present: cookies[settings.assignmentCookie] !== undefined, secret } : undefined,
    qaCookie: qa.cookie,
  }
}

/**
 * The new signed assignment cookie, or undefined when it has not changed. `written` are the
 * experiments whose exposure the store acknowledged on this request: their records get the `!`
 * mark, so later page views write them no more (docs/scale.md, "Writes that grow with new units").
 */
export async function assignmentCookie(visitor: Visitor, written: ReadonlySet<string>): Promise<string | undefined> {
  const draft = visitor.cookie
  if (!draft) return undefined
  let items = draft.items
  if (written.size) {
    items = { ...items }
    for (const key of written) if (items[key]) items[key] = { ...items[key]!, acked: true }
  }
  const payload = encodeItems(items)
  if (payload === (draft.previous ?? '') && (draft.previous !== undefined || !draft.present)) return undefined
  return signItems(payload, visitor.unit, draft.secret)
}

/**
 * The freshly hashed assignments whose exposure the store has acknowledged, as the cookie says (a
 * record of the same variant and epoch with the `!` mark). Only these skip the exposure write, so a
 * write that failed, or that had not answered when the response left, is sent again on a later page
 * view (the store counts a unit's first exposure only).
 */
function acknowledged(assignments: readonly Assignment[], known: AssignmentItems | undefined): Set<string> {
  const acked = new Set<string>()
  if (!known) return acked
  for (const a of assignments) {
    const record = known[a.experiment]
    if (isFreshAssignment(a) && record?.acked && record.variant === a.variant && record.epoch === a.epoch) acked.add(a.experiment)
  }
  return acked
}

/**
 * Cookie items that can still be sticky records: the same experiment instance exists (not one
 * deleted and created again under its key), and the variant and epoch fit.
 */
function knownRecords(items: AssignmentItems, snapshot: ConfigSnapshot): AssignmentItems {
  const out: AssignmentItems = {}
  for (const [key, record] of Object.entries(items)) {
    const e = snapshot.experiments.get(key)?.experiment
    if (!e || e.state === 'stopped' || record.instance !== instanceTag(e) || record.epoch < 1 || record.epoch > e.epoch) continue
    if (e.variants.some((v) => v.key === record.variant)) out[key] = record
  }
  return out
}

/**
 * What the cookie should hold after this request: records it held (kept while the experiment is
 * paused or the page is not targeted, so they are there when it matters), plus the first assignment
 * of each newly hashed experiment and each sticky record read from the store.
 */
function nextItems(
  kept: AssignmentItems,
  assignments: readonly Assignment[],
  sticky: Record<string, StickyRecord>,
  snapshot: ConfigSnapshot,
  acked: ReadonlySet<string>,
): AssignmentItems {
  const items: AssignmentItems = { ...kept }
  const record = (experiment: string, r: StickyRecord, ack: boolean) => {
    const e = snapshot.experiments.get(experiment)?.experiment
    const item: AssignmentItems[string] = (items[experiment] = { variant: r.variant, epoch: r.epoch })
    const instance = e && instanceTag(e)
    if (instance) item.instance = instance
    if (ack) item.acked = true
  }
  for (const a of assignments) {
    if (isFreshAssignment(a)) record(a.experiment, a, acked.has(a.experiment))
    // A record read from the store is itself its acknowledgement; one from the cookie keeps its mark.
    else if (a.reason === 'sticky' && sticky[a.experiment]) record(a.experiment, sticky[a.experiment]!, !kept[a.experiment] || !!kept[a.experiment]!.acked)
  }
  return items
}

/**
 * The origin path of the first split-URL variant served on this request. A variant's `url` applies
 * only where its experiment targets paths, so it rewrites those pages and never the site's assets.
 */
function splitUrl(assignments: readonly Assignment[], snapshot: ConfigSnapshot, path: string): string | undefined {
  for (const a of assignments) {
    const e = snapshot.experiments.get(a.experiment)?.experiment
    const url = e?.variants.find((v) => v.key === a.variant)?.url
    if (url && e?.targeting?.paths?.some((p) => compileGlob(p).test(path))) return url
  }
  return undefined
}
