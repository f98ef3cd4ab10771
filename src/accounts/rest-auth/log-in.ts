import type { FastifyReply, FastifyRequest } from 'fastify'
import { startSession } from '../../framework/auth/session-scheme.ts'
import { mintLoginToken } from '../login-token.ts'
import type { User } from '../user.ts'
import { touchLastLogin } from '../users.ts'

/**
 * Log a user in as dj-rest-auth does with REST_SESSION_LOGIN: a new API token (its key is
 * returned, shown once) and a new session cookie; the last login is recorded.
 */
export async function logIn(request: FastifyRequest, reply: FastifyReply, user: User) {
  const key = await mintLoginToken(request, user.id)
  // startSession ends any session the client had and rotates the CSRF secret (no fixation).
  await startSession(request, reply, user)
  await touchLastLogin(request.server.db, user.id)
  return key
}
