import { CSRF_COOKIE, CSRF_HEADER } from '../auth/csrf.ts'

/**
 * The script the API reference page loads before Scalar's: "Test Request" runs in the logged-in
 * user's browser, with their session cookie, so an unsafe request to this server carries their
 * CSRF token (read from the `csrftoken` cookie, as Django's documentation tells scripts to) or
 * the session scheme refuses it with 403 "CSRF Failed". Requests to other origins, safe methods
 * and requests that set the header themselves are sent as they are.
 */
export const DOCS_CSRF_SCRIPT = `'use strict'
;(() => {
  const SAFE = ['GET', 'HEAD', 'OPTIONS', 'TRACE']
  const send = window.fetch.bind(window)
  const token = () => {
    const cookie = document.cookie.split('; ').find((c) => c.startsWith('${CSRF_COOKIE}='))
    return cookie === undefined ? null : decodeURIComponent(cookie.slice(${CSRF_COOKIE.length + 1}))
  }
  window.fetch = (input, init = {}) => {
    const request = input instanceof Request ? input : null
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase()
    const url = new URL(request ? request.url : String(input), location.href)
    const csrf = token()
    if (SAFE.includes(method) || url.origin !== location.origin || csrf === null) {
      return send(input, init)
    }
    const headers = new Headers(init.headers ?? request?.headers)
    if (headers.has('${CSRF_HEADER}')) return send(input, init)
    headers.set('${CSRF_HEADER}', csrf)
    return send(input, { ...init, headers })
  }
})()
`
