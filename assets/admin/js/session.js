// Sign-in and sign-out. With a token configured, the server-rendered page carries a sign-in form;
// the token is checked against the API (a 401 shows the API's message next to the field) and kept
// in sessionStorage. In development without a token the API is open and nobody is asked.
import { access, api, getToken, onUnauthorized, setToken } from './api.js'
import { h } from './dom.js'

/**
 * Runs `render` once the API can be called: now when admin is open or a token is kept, else after
 * sign-in. `needsToken: false` renders at once (pages on public endpoints).
 */
export function startSession(render, { needsToken = true } = {}) {
  if (access === 'disabled') return
  if (access === 'open') return void render()
  const form = document.getElementById('signin')
  const view = document.getElementById('view')
  const session = document.getElementById('session')
  const input = form.elements.token
  const error = document.getElementById('token-error')

  const showSignIn = (message) => {
    setToken(null)
    session.replaceChildren()
    view.hidden = true
    form.hidden = false
    error.textContent = message
    if (message) input.setAttribute('aria-invalid', 'true')
    else input.removeAttribute('aria-invalid')
    input.focus()
  }
  const signedIn = () => {
    form.hidden = true
    view.hidden = false
    session.replaceChildren(
      h('span', { class: 'muted' }, 'Signed in'),
      h('button', { type: 'button', class: 'link', onclick: () => showSignIn('') }, 'Sign out'),
    )
    render()
  }

  onUnauthorized((e) => showSignIn(e.message))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const token = input.value.trim()
    if (!token) return showSignIn('enter the admin token')
    setToken(token)
    try {
      await api('/v1/experiments')
    } catch (e) {
      if (e.status !== 401) showSignIn(e.message)
      return
    }
    form.reset()
    signedIn()
  })

  if (getToken()) signedIn()
  else if (needsToken) showSignIn('')
  else render()
}
