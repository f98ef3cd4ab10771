import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { csrfToken, enforceCsrf } from '../../framework/auth/csrf.ts'
import { endSession, SessionScheme } from '../../framework/auth/session-scheme.ts'
import { PermissionDenied } from '../../framework/errors.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { logInWithSession } from '../log-in-with-session.ts'
import { LOGIN_THROTTLES } from '../login-throttle.ts'
import { loginPage } from '../pages/login-page.ts'
import { prefixedPath } from '../prefixed-path.ts'

/**
 * Where to go after login: a path on this host only, else `fallback` (the login redirect).
 * `//evil.example`, `/\evil`, schemes and control characters are refused, so the form cannot be
 * used as an open redirect.
 */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback
  const control = [...next].some((c) => c.charCodeAt(0) < 0x20 || c === '\\')
  if (next.startsWith('//') || control) {
    return fallback
  }
  return next
}

// The name djoser's mails use, on the page too.
const siteName = (request: FastifyRequest) => request.server.accountsSettings.djoser.siteName

function render(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html)
}

/**
 * The browsable API's login and logout pages, DRF's `rest_framework.urls`: `login/` and `logout/`
 * under the plugin's prefix (the reference server's `/auth/` and `/api-auth/`).
 */
export function loginPageRoutes(app: FastifyInstance) {
  // Where the form posts and logout lands: the login page's own path, prefix included.
  const action = prefixedPath(app, '/login/')
  // The pages authenticate by session only: the form is for browsers, and the CSRF check of the
  // login POST is done below for anonymous users too (Django's login view is csrf_protect'd).
  // They are HTML pages, so OpenAPI leaves them out.
  const config = { authentication: [SessionScheme], permissions: [AllowAny], openapi: false }

  app.get(
    '/login/',
    { config: { ...config, view: { name: 'login', action: 'form' } } },
    (request, reply) => {
      const next = safeNext(
        (request.query as { next?: string }).next,
        request.server.accountsSettings.loginRedirectUrl,
      )
      return render(
        reply,
        200,
        loginPage({
          siteName: siteName(request),
          action,
          csrfToken: csrfToken(request, reply),
          next,
        }),
      )
    },
  )

  app.post(
    '/login/',
    { config: { ...config, throttles: LOGIN_THROTTLES, view: { name: 'login', action: 'login' } } },
    async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>
      const next = safeNext(form.next, request.server.accountsSettings.loginRedirectUrl)
      const username = typeof form.username === 'string' ? form.username : ''
      const page = (status: number, error: string) =>
        render(
          reply,
          status,
          loginPage({
            siteName: siteName(request),
            action,
            csrfToken: csrfToken(request, reply),
            next,
            username,
            error,
          }),
        )
      try {
        enforceCsrf(request)
      } catch (err) {
        if (err instanceof PermissionDenied)
          return page(403, `${err.message} Reload the page and try again.`)
        throw err
      }
      const password = typeof form.password === 'string' ? form.password : ''
      if (!(await logInWithSession(request, reply, username, password))) {
        return page(
          200,
          'Please enter a correct username and password. Note that both fields may be case-sensitive.',
        )
      }
      return reply.redirect(next, 302)
    },
  )

  const logout = async (request: FastifyRequest, reply: FastifyReply) => {
    await endSession(request, reply)
    return reply.redirect(action, 302)
  }
  // The POST is the session scheme's unsafe request: it carries the CSRF token (the browsable
  // page's "Log out" form sends it), so another site cannot log a user out.
  if (app.accountsSettings.logoutOnGet) {
    app.get(
      '/logout/',
      { config: { ...config, view: { name: 'logout', action: 'logout' } } },
      logout,
    )
  }
  app.post(
    '/logout/',
    { config: { ...config, view: { name: 'logout', action: 'logout' } } },
    logout,
  )
}
