import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyRequest } from 'fastify'
import type { SessionRecord } from '../../framework/auth/session-store.ts'
import type { Database } from '../../framework/db/database.ts'
import type { TokenRecord } from '../tokens.ts'
import { revokeRefreshTokensBefore } from './revocations.ts'

// The credential that made this request, which survives: a session or an API token by its id.
function currentCredential(request: FastifyRequest) {
  const scheme = request.authenticator?.name
  if (scheme === 'session') return { sessionId: (request.auth as SessionRecord).id }
  if (scheme === 'token') return { tokenId: (request.auth as TokenRecord).id }
  return {}
}

// Timed by the JWT service's clock when there is one: it is the clock that stamps `iat`.
function now(request: FastifyRequest): number {
  return request.server.hasDecorator('jwt') ? request.server.jwt.now() : Date.now()
}

/**
 * After a password change or reset: end the user's other sessions, delete their API tokens but
 * the one that made this request, and revoke every refresh token issued until now. A JWT that
 * made the change keeps working until it expires, as simplejwt's access tokens do. Idempotent.
 * `alsoInTransaction` commits with the revocations (the new password itself, so neither lands
 * without the other).
 */
export async function endOtherCredentials(
  request: FastifyRequest,
  userId: string,
  alsoInTransaction?: (trx: Database) => Promise<void>,
): Promise<void> {
  const { sessionId, tokenId } = currentCredential(request)
  const at = now(request)
  await request.server.db.transaction().execute(async (trx) => {
    if (alsoInTransaction) await alsoInTransaction(trx)
    let tokens = trx.deleteFrom('auth_tokens').where('user_id', '=', userId)
    if (tokenId) tokens = tokens.where('id', '!=', tokenId)
    await tokens.execute()
    await revokeRefreshTokensBefore(trx, userId, at)
    // Last, before the commit: sessions in Redis that cannot be ended (503) roll the change back,
    // so a password never changes while the old sessions live on.
    await request.server.sessions.deleteAllForUser(userId, sessionId, trx)
  })
  // Refresh tokens carry whole seconds: answering once this second is over means a login the
  // client makes next has a later `iat` than the revocation, and is not refused with the old ones.
  await sleep(1000 - (Date.now() % 1000))
}
