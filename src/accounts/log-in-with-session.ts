import type { FastifyReply, FastifyRequest } from 'fastify'
import { startSession } from '../framework/auth/session-scheme.ts'
import type { User } from './user.ts'
import { checkCredentials } from './user-backend.ts'
import { touchLastLogin } from './users.ts'

/**
 * Log in with a session cookie, for a login view of your own (give its route `LOGIN_THROTTLES`):
 * the user for `login` (username or email) and `password`, with a new session, or null for bad
 * credentials, with no cookie set. An unknown login costs a hash like a known one and an inactive
 * user is refused after it, so timing tells no accounts apart; a cross-site request is refused
 * (login CSRF), any session the client had ends and the CSRF secret is replaced (no fixation).
 */
export async function logInWithSession(
  request: FastifyRequest,
  reply: FastifyReply,
  login: string,
  password: string,
): Promise<User | null> {
  const user = await checkCredentials(request.server.db, login, password)
  if (!user) return null
  await startSession(request, reply, user)
  await touchLastLogin(request.server.db, user.id)
  return user
}
