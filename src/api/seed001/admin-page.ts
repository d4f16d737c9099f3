import type { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { toSeedExperiment } from './shape'

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** `GET /experiments`: seed 001's experiments page (a read-only list until the /admin dashboard). */
export function registerSeedAdminPage(app: Hono<AppEnv>): void {
  app.get('/experiments', async (c) => {
    const doc = await c.var.services.writer.read()
    c.var.services.config.replace(doc)
    const rows = Object.values(doc.experiments)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key))
      .map((e) => {
        const s = toSeedExperiment(e)
        const groups = Object.entries(s.groups).map(([g, w]) => `${esc(g)}: ${w}`).join('<br>')
        const state = s.state === 'rollout' ? `rollout (${esc(s.rollout_group ?? '')})` : s.state
        return `<tr><td>${esc(s.title)}</td><td><code>${esc(e.key)}</code></td><td>${groups}</td><td>${esc(s.fallback)}</td><td>${state}</td><td>${esc(e.state)}, epoch ${e.epoch}</td><td><a href="/v1/experiments/${encodeURIComponent(e.key)}/counts">counts</a></td></tr>`
      })
      .join('\n')
    c.header('cache-control', 'no-store')
    return c.html(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Experiments</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330}table{border-collapse:collapse}th,td{border:1px solid #ccd;padding:.45rem .8rem;text-align:left;vertical-align:top}th{background:#f1f3f8}</style>
</head><body>
<h1>Experiments</h1>
<table>
<thead><tr><th>Experiment</th><th>Key</th><th>Group: Weight</th><th>Fallback</th><th>State</th><th>Lifecycle</th><th>Counts</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">No experiments yet: create one with POST /v1/experiments.</td></tr>'}
</tbody>
</table>
<p>Change states and weights with <code>POST /api/experiments/update</code> (seed 001) or the <a href="/docs">native API</a>.</p>
</body></html>
`)
  })
}
