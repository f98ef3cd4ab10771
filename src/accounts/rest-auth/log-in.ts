import type { FastifyReply, FastifyRequest } from 'fastify'
import { startSession } from '../../framework/auth/session-scheme.ts'
import { mintLoginToken } from '../login-token.ts'
import { refuseBeyondTokenLimit } from '../token-limit.ts'
import type { User } from '../user.ts'
import { touchLastLogin } from '../users.ts'

/**
 * Log a user in as dj-rest-auth does with REST_SESSION_LOGIN: a new API token (its key is
 * returned, shown once) and a new session cookie; the last login is recorded.
 */
export async function logIn(request: FastifyRequest, reply: FastifyReply, user: User) {
  // A user at the token limit is refused before a session starts: a refused login logs nobody in.
  await refuseBeyondTokenLimit(request, user.id)
  // startSession refuses a cross-site request, ends any session the client had and rotates the
  // CSRF secret (no fixation); it comes first, so a refused login mints no token.
  await startSession(request, reply, user)
  const key = await mintLoginToken(request, user.id)
  await touchLastLogin(request.server.db, user.id)
  return key
}
