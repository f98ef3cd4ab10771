import type { FastifyReply, FastifyRequest } from 'fastify'
import { startSession } from '../../framework/auth/session-scheme.ts'
import { mintToken } from '../tokens.ts'
import type { User } from '../user.ts'
import { touchLastLogin } from '../users.ts'

// TOKEN_TTL (seconds; TOKEN_TTL_SECONDS is read too), as for the other token logins.
function tokenTtl(): number | null {
  const ttl = Number(process.env.TOKEN_TTL ?? process.env.TOKEN_TTL_SECONDS)
  return Number.isFinite(ttl) && ttl > 0 ? ttl : null
}

/**
 * Log a user in as dj-rest-auth does with REST_SESSION_LOGIN: a new API token (its key is
 * returned, shown once) and a new session cookie; the last login is recorded.
 */
export async function logIn(request: FastifyRequest, reply: FastifyReply, user: User) {
  // Every login is a new device: a new token, so logging out elsewhere leaves this one alone.
  const key = await mintToken(request.server.db, user.id, {
    name: String(request.headers['user-agent'] ?? ''),
    ttlSeconds: tokenTtl(),
  })
  // startSession ends any session the client had and rotates the CSRF secret (no fixation).
  await startSession(request, reply, user)
  await touchLastLogin(request.server.db, user.id)
  return key
}
