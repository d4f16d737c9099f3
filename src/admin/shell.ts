import { esc } from './html'

/** Who may use the dashboard: a token to sign in with, open (development without a token), or nobody yet. */
export type AdminAccess = 'token' | 'open' | 'disabled'

/** One server-rendered page of the dashboard; the client module named by `page` fills `#view`. */
export type ShellProps = {
  page: 'list' | 'experiment' | 'form' | 'sample-size' | 'flags' | 'flag'
  title: string
  access: AdminAccess
  /** The experiment (or, on the flag page, the flag) a page is about (detail and edit pages). */
  experiment?: string
  /** Allowed lifecycle moves per state, from src/core/lifecycle.ts, so the client offers only those. */
  transitions: Record<string, readonly string[]>
  /** Markup the server renders inside `#view` (the calculator form); otherwise the client fills it. */
  body?: string
}

// The sign-in form, shown by the client when no token is kept in this tab.
const SIGN_IN = `<form id="signin" class="card signin" hidden novalidate><h2>Sign in</h2><p>Enter the admin token (the <code>ADMIN_TOKEN</code> secret). It is kept in this tab until you sign out or close it.</p>
<div class="field" data-path="token"><label for="token">Admin token</label><input id="token" name="token" type="password" autocomplete="current-password" required aria-describedby="token-error"><p class="field-error" id="token-error"></p></div>
<button type="submit" class="primary">Sign in</button></form>`

const NAV = [
  ['/admin', 'Experiments'],
  ['/admin/experiments/new', 'New experiment'],
  ['/admin/flags', 'Flags'],
  ['/admin/sample-size', 'Sample size'],
] as const

/**
 * The document every dashboard page shares: header with navigation and session state, the page
 * heading, and the sign-in form when a token is needed. Data is never rendered here: the client
 * reads it from the JSON API with the admin token, so this HTML is the same for everyone.
 * @example c.html(shell({ page: 'list', title: 'Experiments', access: 'open', transitions }))
 */
export function shell(p: ShellProps): string {
  const current = p.page === 'list' ? '/admin' : p.page === 'sample-size' ? '/admin/sample-size' : p.page === 'flags' ? '/admin/flags' : p.page === 'form' && !p.experiment ? '/admin/experiments/new' : ''
  const nav = NAV.map(([href, label]) => `<a href="${href}"${href === current ? ' aria-current="page"' : ''}>${label}</a>`).join('')
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(p.title)} · edgesplit</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/admin/vendor/uPlot.min.css"><link rel="stylesheet" href="/admin/admin.css">
<script src="/admin/vendor/uPlot.iife.min.js" defer></script><script type="module" src="/admin/js/main.js"></script>
</head><body data-page="${p.page}" data-access="${p.access}" data-experiment="${esc(p.experiment ?? '')}" data-transitions="${esc(JSON.stringify(p.transitions))}">
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="/admin">edgesplit</a><nav aria-label="Dashboard">${nav}</nav><div id="session" class="session">${
    p.access === 'open' ? `<span class="badge warn">development: admin open</span>` : ''
  }</div></header>
<main id="main" tabindex="-1"><h1 id="title">${esc(p.title)}</h1>
${
  p.access === 'disabled'
    ? `<div class="notice error" role="alert"><p>The dashboard is disabled because <code>ADMIN_TOKEN</code> is not set.</p><p>Set it with <code>npx wrangler secret put ADMIN_TOKEN</code> (at least 16 characters, e.g. <code>openssl rand -hex 32</code>), or run locally with <code>ENVIRONMENT=development</code>.</p></div>`
    : `${p.access === 'token' ? SIGN_IN : ''}
<div id="view" class="view">${p.body ?? '<p class="muted">Loading…</p>'}</div>`
}
<noscript><p class="notice error">The dashboard needs JavaScript.</p></noscript></main>
</body></html>`
}
