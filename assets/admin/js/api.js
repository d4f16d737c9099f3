// The JSON API with the admin token (SPEC "HTTP surface": `Authorization: Bearer <ADMIN_TOKEN>`).
// The token lives in sessionStorage: this tab keeps it until sign-out or until the tab is closed.
const TOKEN_KEY = 'edgesplit.adminToken'

/** How the Worker guards admin calls: `token`, `open` (development, no token set) or `disabled`. */
export const access = document.body.dataset.access

/** The signed-in token, or null. */
export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY)
}

/** Keeps (or, with null, forgets) the token for this browser tab. */
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  else sessionStorage.removeItem(TOKEN_KEY)
}

/** A refused API call: the status and the API's error envelope (`code`, `message`, `details`). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `the request failed with status ${status}`)
    this.status = status
    this.code = body?.error?.code ?? 'error'
    this.details = Array.isArray(body?.error?.details) ? body.error.details.map(String) : []
  }
}

let unauthorized = () => {}
/** Registers what to do when the API refuses the token (show the sign-in form). */
export function onUnauthorized(handler) {
  unauthorized = handler
}

/**
 * Calls the API and returns `{ data, etag }`; throws ApiError on any non-2xx answer.
 * @example await api(`/v1/experiments/${key}/transition`, { method: 'POST', body: { to: 'paused' }, etag })
 */
export async function api(path, { method = 'GET', body, etag } = {}) {
  const headers = { accept: 'application/json' }
  const token = getToken()
  // Signed out while a page was still loading: its remaining calls stop here, unsent.
  if (access === 'token' && !token && !path.startsWith('/v1/sample-size')) {
    throw new ApiError(401, { error: { code: 'signed_out', message: 'sign in first' } })
  }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (etag) headers['if-match'] = etag
  let response
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
  } catch (error) {
    throw new ApiError(0, { error: { code: 'network', message: `the Worker did not answer (${error.message}): is it running?` } })
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null)
  if (!response.ok) {
    const error = new ApiError(response.status, data)
    if (response.status === 401) unauthorized(error)
    throw error
  }
  return { data, etag: response.headers.get('etag') }
}
