import type { FastifyReply, FastifyRequest } from 'fastify'
import { cookieOptions } from './cookie-options.ts'
import { csrfTokenFromBody, enforceCsrf, refuseCrossSite, rotateCsrfToken } from './csrf.ts'
import type { Authenticated, AuthScheme } from './scheme.ts'
import type { SessionRecord } from './session-store.ts'
import type { AuthUser } from './user.ts'

/** The session cookie's name, as Django's. */
export const SESSION_COOKIE = 'sessionid'

/**
 * The `sessionid` cookie (DRF's SessionAuthentication): a missing, expired or ended session is
 * anonymous, not an error; an inactive user is anonymous too (Django's ModelBackend). An unsafe
 * method must carry the CSRF token, since a browser sends the cookie on cross-site requests too.
 */
export const SessionScheme: AuthScheme = {
  name: 'session',
  needs: ['users', 'sessions'],
  vary: ['Cookie'],
  // No cookie answers at once: most API calls carry none.
  authenticate(request) {
    const key = request.cookies?.[SESSION_COOKIE]
    return key ? sessionUser(request, key) : null
  },
  // A form post's CSRF token is a field of its body: a session's unsafe request waits for it.
  readsBody: (request) => Boolean(request.cookies?.[SESSION_COOKIE]) && csrfTokenFromBody(request),
}

async function sessionUser(request: FastifyRequest, key: string): Promise<Authenticated | null> {
  const session = await request.server.sessions.get(key)
  if (!session) return null
  const user = await request.server.users.userById(session.userId)
  if (!user?.is_active) return null
  enforceCsrf(request)
  return { user, auth: session }
}

/**
 * Log a user in with a new session: any session the client had is ended first and the CSRF
 * secret is replaced, so an id planted before login is worthless (no fixation). A cross-site
 * request is refused before anything changes (login CSRF: another site must not log a browser
 * into an account of its choosing); views that do work before logging in call `refuseCrossSite`
 * first themselves.
 */
export async function startSession(
  request: FastifyRequest,
  reply: FastifyReply,
  user: AuthUser,
): Promise<SessionRecord> {
  refuseCrossSite(request)
  const previous = request.cookies?.[SESSION_COOKIE]
  if (previous) await request.server.sessions.delete(previous)
  const { key, session } = await request.server.sessions.create({
    userId: user.id,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 500),
    ip: request.ip,
  })
  reply.setCookie(SESSION_COOKIE, key, {
    ...cookieOptions(request),
    expires: new Date(session.expires),
  })
  rotateCsrfToken(request, reply)
  return session
}

/** End the client's session (server-side) and clear its cookie. */
export async function endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const key = request.cookies?.[SESSION_COOKIE]
  if (key) await request.server.sessions.delete(key)
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
}
