// Bench reference for the assign rows: the smallest Worker that does the job of `GET /v1/assign`
// (parse the URL, one Web Crypto SHA-256 per experiment, a JSON answer), with no routing, no config,
// no validation and no exposure counting. Issue 12 set its targets against such a Worker (0.76× of
// hello-world with 1 experiment, 0.56× with 10, on a slower host); this row measures it in the same
// run as ours, so the gap to it is read on today's host rather than on that one.
const ALL = Array.from({ length: 10 }, (_, i) => `bench-${i}`)
const encoder = new TextEncoder()

export default {
  async fetch(request) {
    const url = new URL(request.url)
    const unit = url.searchParams.get('unit')
    if (!unit) return Response.json({ error: 'unit is required' }, { status: 400 })
    const keys = url.searchParams.get('experiments')?.split(',') ?? ALL
    const assignments = {}
    for (const experiment of keys) {
      const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`${experiment}:${unit}`))
      const bucket = new DataView(digest).getUint32(0) / 2 ** 32
      assignments[experiment] = { experiment, variant: bucket < 0.5 ? 'control' : 'treatment', bucket }
    }
    return Response.json({ unit, assignments })
  },
}
