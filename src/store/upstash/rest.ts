/** A command as the Upstash REST API takes it: `["HGET", key, field]`. */
export type Command = readonly (string | number)[]

/**
 * The three calls of the Upstash REST API the counter store makes (docs: Upstash "REST API"; the
 * subset tools/upstash/server.mjs implements and checks against @upstash/redis): one command
 * (`POST /`), a pipeline (`POST /pipeline`, not atomic) and a transaction (`POST /multi-exec`, all
 * or nothing). One attempt each, never retried (the store's 1 s guard needs a fast failure); any
 * Redis error, HTTP error or malformed reply throws. This replaces @upstash/redis, whose generality
 * (~20 KiB gzipped) the Worker's bundle budget could not afford.
 */
export class UpstashRest {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** One command's result. */
  async command(cmd: Command): Promise<unknown> {
    return result(await this.post('', cmd))
  }

  /** Several commands in one round trip, their results in order; throws if any failed. */
  async batch(kind: 'pipeline' | 'multi-exec', cmds: readonly Command[]): Promise<unknown[]> {
    const replies = await this.post(`/${kind}`, cmds)
    if (!Array.isArray(replies) || replies.length !== cmds.length) throw new Error(`unexpected ${kind} reply ${JSON.stringify(replies)?.slice(0, 200)}`)
    return replies.map(result)
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${this.url.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await res.text()
    let reply: unknown
    try {
      reply = JSON.parse(text)
    } catch {
      throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`)
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${(reply as { error?: unknown })?.error ?? text.slice(0, 200)}`)
    return reply
  }
}

/** The `result` of one `{ result } | { error }` reply, or its error thrown. */
function result(reply: unknown): unknown {
  const r = reply as { result?: unknown; error?: unknown } | null
  if (typeof r !== 'object' || r === null) throw new Error(`unexpected reply ${JSON.stringify(reply)?.slice(0, 200)}`)
  if (r.error !== undefined) throw new Error(String(r.error))
  return r.result
}
