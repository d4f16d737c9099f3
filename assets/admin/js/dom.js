// Tiny DOM helpers. Data from the API is only ever set as text (never as HTML), so an experiment
// title cannot inject markup into a page that holds the admin token.

/**
 * Creates an element with attributes, listeners (`onclick`…) and children (nodes or text).
 * @example h('a', { href: '/admin' }, 'Experiments')
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value)
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat(Infinity)) if (child != null && child !== false) el.append(child instanceof Node ? child : String(child))
  return el
}

let ids = 0
/** A fresh element id, so a label stays bound to its control when rows are added or removed. */
export function uid(prefix = 'f') {
  return `${prefix}-${++ids}`
}

/** An experiment key as a URL path segment. */
export const enc = encodeURIComponent

/** The page's heading and document title. */
export function setTitle(text) {
  document.getElementById('title').textContent = text
  document.title = `${text} · edgesplit`
}

/** Replaces the view with a message explaining what went wrong (a 401 is handled by the sign-in form). */
export function showError(view, error) {
  if (error?.status === 401) return
  view.replaceChildren(h('div', { class: 'notice error', role: 'alert' }, h('p', {}, error?.message ?? String(error))))
}
