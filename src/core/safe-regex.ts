/**
 * Regular expressions for the `regex` targeting operator, matched in linear time.
 *
 * A backtracking engine (JavaScript's RegExp) takes exponential time on patterns such as `(a+)+$`
 * and polynomial time on `a*a*a*c`, so an experiment's rule could stall every assignment. This
 * module parses a subset of JavaScript's syntax — literals, `.`, classes `[...]` and `\d \w \s` (and
 * negations), `^ $ \b \B`, groups, `|`, and the quantifiers `* + ? {n} {n,} {n,m}` (lazy forms
 * too) — and runs it as a Pike VM (Thompson's construction, Russ Cox, "Regular Expression Matching
 * Can Be Simple And Fast", 2007): O(input × program) steps whatever the pattern. Backreferences and
 * lookaround cannot be matched that way and are refused. Patterns are case-sensitive, like
 * `new RegExp(source)`, and, like it, match anywhere unless anchored.
 */

/** Longest pattern accepted. */
export const SAFE_REGEX_MAX_SOURCE = 256
/** Only this many leading characters of a value are tested. */
export const SAFE_REGEX_MAX_INPUT = 1024
/** Largest compiled program (bounded repeats are expanded, so `x{1000}` is 1000 instructions). */
const MAX_PROGRAM = 1024

/** A compiled pattern; `test` searches the first SAFE_REGEX_MAX_INPUT characters of s. */
export type SafeRegex = { readonly test: (s: string) => boolean }

type Ranges = { ranges: number[]; negate: boolean } // ranges: [lo0, hi0, lo1, hi1, …], inclusive
type Node =
  | { t: 'set'; set: Ranges }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; item: Node; min: number; max: number }
type Inst =
  | { op: 'set'; set: Ranges }
  | { op: 'assert'; kind: '^' | '$' | 'b' | 'B' }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'match' }

/** Why a pattern is refused (syntax, an unsupported construct, or size), or undefined when it is fine. */
export function safeRegexProblem(source: string): string | undefined {
  try {
    compileSafeRegex(source)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/**
 * Compiles a pattern or throws an Error whose message says what is wrong with it.
 * @example compileSafeRegex('@example\\.com$').test('ann@example.com') // true
 */
export function compileSafeRegex(source: string): SafeRegex {
  const program = compile(source)
  return { test: (s) => run(program, s.slice(0, SAFE_REGEX_MAX_INPUT), { steps: 0 }) }
}

/** Runs once and reports the VM steps and the program size (tests bound the work on hostile input). */
export function safeRegexSteps(source: string, s: string): { matched: boolean; steps: number; size: number } {
  const program = compile(source)
  const meter = { steps: 0 }
  const matched = run(program, s.slice(0, SAFE_REGEX_MAX_INPUT), meter)
  return { matched, steps: meter.steps, size: program.length }
}

function compile(source: string): Inst[] {
  if (source.length > SAFE_REGEX_MAX_SOURCE) throw new Error(`regex must be at most ${SAFE_REGEX_MAX_SOURCE} characters`)
  const node = new Parser(source).parse()
  try {
    new RegExp(source) // the subset is JavaScript's syntax: nothing accepted here may mean something else there
  } catch (error) {
    throw invalid((error as Error).message)
  }
  if (size(node) + 1 > MAX_PROGRAM) throw new Error(`regex is too large once its repeats are expanded (at most ${MAX_PROGRAM} steps); use smaller {n,m} counts`)
  const program: Inst[] = []
  emit(node, program)
  program.push({ op: 'match' })
  return program
}

function invalid(reason: string): Error {
  return new Error(`not a valid regular expression: ${reason}`)
}

const DIGIT = [48, 57]
const WORD = [48, 57, 65, 90, 95, 95, 97, 122]
// JavaScript's \s: WhiteSpace and LineTerminator (ECMA-262).
const SPACE = [9, 13, 32, 32, 160, 160, 5760, 5760, 8192, 8202, 8232, 8233, 8239, 8239, 8287, 8287, 12288, 12288, 65279, 65279]
const LINE_TERMINATORS = [10, 10, 13, 13, 8232, 8233]

class Parser {
  private i = 0
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation()
    if (this.i < this.src.length) throw invalid(`unmatched ")" at position ${this.i}`)
    return node
  }

  private peek(): string | undefined {
    return this.src[this.i]
  }

  private alternation(): Node {
    const items = [this.sequence()]
    while (this.peek() === '|') {
      this.i++
      items.push(this.sequence())
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items }
  }

  private sequence(): Node {
    const items: Node[] = []
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom()
      items.push(atom.quantifiable ? this.quantified(atom.node) : atom.node)
      if (!atom.quantifiable && this.quantifierAhead()) throw invalid(`nothing to repeat at position ${this.i}`)
    }
    return { t: 'cat', items }
  }

  private quantifierAhead(): boolean {
    const c = this.peek()
    return c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i)))
  }

  private quantified(node: Node): Node {
    let min: number
    let max: number
    const c = this.peek()
    if (c === '*') [min, max] = [0, Infinity]
    else if (c === '+') [min, max] = [1, Infinity]
    else if (c === '?') [min, max] = [0, 1]
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))
      if (!m) throw new Error(`unsupported regular expression: write "\\{" for a literal "{" (position ${this.i})`)
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
      if (min > max) throw invalid(`numbers out of order in {${m[1]}${m[2]}}`)
      this.i += m[0].length - 1
    } else return node
    this.i++
    if (this.peek() === '?') this.i++ // lazy: the same set of matches, and test() only asks whether there is one
    if (this.quantifierAhead()) throw invalid(`nothing to repeat at position ${this.i}`)
    return { t: 'rep', item: node, min, max }
  }

  private atom(): { node: Node; quantifiable: boolean } {
    const c = this.src[this.i++]!
    switch (c) {
      case '^':
        return { node: { t: 'assert', kind: '^' }, quantifiable: false }
      case '$':
        return { node: { t: 'assert', kind: '$' }, quantifiable: false }
      case '.':
        return { node: { t: 'set', set: { ranges: LINE_TERMINATORS, negate: true } }, quantifiable: true }
      case '(':
        return { node: this.group(), quantifiable: true }
      case '[':
        return { node: { t: 'set', set: this.charClass() }, quantifiable: true }
      case '*':
      case '+':
      case '?':
        throw invalid(`nothing to repeat at position ${this.i - 1}`)
      case '{':
        throw new Error(`unsupported regular expression: write "\\{" for a literal "{" (position ${this.i - 1})`)
      case '\\': {
        const e = this.src[this.i]
        if (e === 'b' || e === 'B') {
          this.i++
          return { node: { t: 'assert', kind: e }, quantifiable: false }
        }
        return { node: { t: 'set', set: this.escape(false) }, quantifiable: true }
      }
      default:
        return { node: literal(c.charCodeAt(0)), quantifiable: true }
    }
  }

  private group(): Node {
    if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i) || this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) {
      throw new Error('unsupported regular expression: lookahead and lookbehind are not supported (they cannot be matched in linear time)')
    }
    if (this.src.startsWith('?:', this.i)) this.i += 2
    else if (this.src.startsWith('?<', this.i)) {
      const m = /^\?<([A-Za-z_$][\w$]*)>/.exec(this.src.slice(this.i))
      if (!m) throw invalid(`bad group name at position ${this.i}`)
      this.i += m[0].length
    } else if (this.peek() === '?') throw invalid(`unknown group "(?${this.src[this.i + 1] ?? ''}" at position ${this.i - 1}`)
    const node = this.alternation()
    if (this.peek() !== ')') throw invalid('missing ")"')
    this.i++
    return node
  }

  private charClass(): Ranges {
    const negate = this.peek() === '^'
    if (negate) this.i++
    const ranges: number[] = []
    const extra: Ranges[] = []
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) throw invalid('missing "]"')
      const lo = this.classAtom()
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++
        const hi = this.classAtom()
        if (typeof lo !== 'number' || typeof hi !== 'number') throw new Error('unsupported regular expression: a range cannot start or end with \\d, \\w or \\s')
        if (lo > hi) throw invalid('range out of order in character class')
        ranges.push(lo, hi)
      } else if (typeof lo === 'number') ranges.push(lo, lo)
      else extra.push(lo)
    }
    this.i++
    return { ranges: [...ranges, ...extra.flatMap((r) => expand(r))], negate }
  }

  /** One class member: a code unit, or a class escape such as \d. */
  private classAtom(): number | Ranges {
    const c = this.src[this.i++]!
    if (c !== '\\') return c.charCodeAt(0)
    if (this.peek() === 'b') {
      this.i++
      return 8 // [\b] is backspace
    }
    const set = this.escape(true)
    return set.ranges.length === 2 && !set.negate && set.ranges[0] === set.ranges[1] ? set.ranges[0]! : set
  }

  /** The escape after a backslash (already consumed). */
  private escape(inClass: boolean): Ranges {
    const e = this.src[this.i++]
    if (e === undefined) throw invalid('"\\" at end of pattern')
    const single = (code: number): Ranges => ({ ranges: [code, code], negate: false })
    switch (e) {
      case 'd':
        return { ranges: DIGIT, negate: false }
      case 'D':
        return { ranges: DIGIT, negate: true }
      case 'w':
        return { ranges: WORD, negate: false }
      case 'W':
        return { ranges: WORD, negate: true }
      case 's':
        return { ranges: SPACE, negate: false }
      case 'S':
        return { ranges: SPACE, negate: true }
      case 't':
        return single(9)
      case 'n':
        return single(10)
      case 'v':
        return single(11)
      case 'f':
        return single(12)
      case 'r':
        return single(13)
      case 'x':
      case 'u': {
        const m = (e === 'x' ? /^[0-9a-fA-F]{2}/ : /^[0-9a-fA-F]{4}/).exec(this.src.slice(this.i))
        if (!m) throw new Error(`unsupported regular expression: "\\${e}" needs ${e === 'x' ? 2 : 4} hex digits`)
        this.i += m[0].length
        return single(Number.parseInt(m[0], 16))
      }
      case 'k':
        throw new Error('unsupported regular expression: backreferences are not supported (they cannot be matched in linear time)')
      case '0':
        if (/[0-9]/.test(this.peek() ?? '')) throw new Error('unsupported regular expression: octal escapes are not supported')
        return single(0)
      default:
        if (/[1-9]/.test(e)) {
          if (inClass) throw new Error('unsupported regular expression: octal escapes are not supported')
          throw new Error('unsupported regular expression: backreferences are not supported (they cannot be matched in linear time)')
        }
        if (/[A-Za-z]/.test(e)) throw new Error(`unsupported regular expression: unknown escape "\\${e}"`)
        return single(e.charCodeAt(0))
    }
  }
}

function literal(code: number): Node {
  return { t: 'set', set: { ranges: [code, code], negate: false } }
}

/** A class escape as plain ranges, so it can sit inside a bracket class (negated ones complemented). */
function expand(set: Ranges): number[] {
  if (!set.negate) return set.ranges
  const out: number[] = []
  let next = 0
  for (let k = 0; k < set.ranges.length; k += 2) {
    if (set.ranges[k]! > next) out.push(next, set.ranges[k]! - 1)
    next = set.ranges[k + 1]! + 1
  }
  if (next <= 0xffff) out.push(next, 0xffff)
  return out
}

/** Instructions `emit` will produce, capped early so `(x{1000}){1000}` is refused without being built. */
function size(node: Node): number {
  switch (node.t) {
    case 'set':
    case 'assert':
      return 1
    case 'cat':
      return node.items.reduce((n, item) => Math.min(n + size(item), MAX_PROGRAM + 1), 0)
    case 'alt':
      return node.items.reduce((n, item) => Math.min(n + size(item) + 2, MAX_PROGRAM + 1), 0)
    case 'rep': {
      const one = size(node.item)
      const copies = node.max === Infinity ? node.min + 1 : node.max
      return Math.min(copies * (one + 2), MAX_PROGRAM + 1)
    }
  }
}

function emit(node: Node, p: Inst[]): void {
  switch (node.t) {
    case 'set':
      p.push({ op: 'set', set: node.set })
      return
    case 'assert':
      p.push({ op: 'assert', kind: node.kind })
      return
    case 'cat':
      for (const item of node.items) emit(item, p)
      return
    case 'alt': {
      const jumps: Inst[] = []
      node.items.forEach((item, k) => {
        if (k < node.items.length - 1) {
          const split = { op: 'split', x: p.length + 1, y: 0 } as Inst & { op: 'split' }
          p.push(split)
          emit(item, p)
          const jmp = { op: 'jmp', x: 0 } as Inst & { op: 'jmp' }
          p.push(jmp)
          jumps.push(jmp)
          split.y = p.length
        } else emit(item, p)
      })
      for (const j of jumps) (j as Inst & { op: 'jmp' }).x = p.length
      return
    }
    case 'rep': {
      for (let k = 0; k < node.min; k++) emit(node.item, p)
      if (node.max === Infinity) {
        const split = { op: 'split', x: p.length + 1, y: 0 } as Inst & { op: 'split' }
        const loop = p.length
        p.push(split)
        emit(node.item, p)
        p.push({ op: 'jmp', x: loop })
        split.y = p.length
      } else {
        const splits: (Inst & { op: 'split' })[] = []
        for (let k = node.min; k < node.max; k++) {
          const split = { op: 'split', x: p.length + 1, y: 0 } as Inst & { op: 'split' }
          p.push(split)
          splits.push(split)
          emit(node.item, p)
        }
        for (const s of splits) s.y = p.length
      }
      return
    }
  }
}

function inSet(set: Ranges, c: number): boolean {
  let hit = false
  for (let k = 0; k < set.ranges.length; k += 2) {
    if (c >= set.ranges[k]! && c <= set.ranges[k + 1]!) {
      hit = true
      break
    }
  }
  return hit !== set.negate
}

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 || (c >= 97 && c <= 122)
}

/** Pike VM: all threads advance together, one list per input position, each pc at most once per list. */
function run(program: Inst[], s: string, meter: { steps: number }): boolean {
  const n = s.length
  let current: number[] = []
  let next: number[] = []
  const mark = new Int32Array(program.length).fill(-1)
  let generation = 0
  // Adds pc and everything reachable from it without consuming input; true when it reaches match.
  const add = (list: number[], pc: number, at: number): boolean => {
    const stack = [pc]
    while (stack.length) {
      const k = stack.pop()!
      if (mark[k] === generation) continue
      mark[k] = generation
      meter.steps++
      const inst = program[k]!
      switch (inst.op) {
        case 'match':
          return true
        case 'set':
          list.push(k)
          break
        case 'jmp':
          stack.push(inst.x)
          break
        case 'split':
          stack.push(inst.y, inst.x)
          break
        case 'assert': {
          const before = at > 0 && isWord(s.charCodeAt(at - 1))
          const after = at < n && isWord(s.charCodeAt(at))
          const holds = inst.kind === '^' ? at === 0 : inst.kind === '$' ? at === n : inst.kind === 'b' ? before !== after : before === after
          if (holds) stack.push(k + 1)
          break
        }
      }
    }
    return false
  }
  generation++
  if (add(current, 0, 0)) return true
  for (let at = 0; at < n; at++) {
    const c = s.charCodeAt(at)
    generation++
    next.length = 0
    for (const k of current) {
      meter.steps++
      const inst = program[k] as Inst & { op: 'set' }
      if (inSet(inst.set, c) && add(next, k + 1, at + 1)) return true
    }
    // Unanchored search: a new attempt may start at every position.
    if (add(next, 0, at + 1)) return true
    ;[current, next] = [next, current]
  }
  return false
}
