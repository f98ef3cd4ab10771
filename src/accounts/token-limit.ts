import type { FastifyRequest } from 'fastify'
import { PermissionDenied } from '../framework/errors.ts'
import { countLiveTokens } from './tokens.ts'

/** 403 for a login beyond `tokenLimitPerUser`, in knox's body: `{"error": "..."}`. */
export class TokenLimitExceeded extends PermissionDenied {
  override code = 'token_limit_exceeded'
  static override defaultDetail = 'Maximum amount of tokens allowed per user exceeded.'
  override body(): unknown {
    return { error: this.message }
  }
}

/**
 * Refuse a new login token when the user already holds `tokenLimitPerUser` live tokens (knox's
 * TOKEN_LIMIT_PER_USER); without a limit, nothing is read. Two logins at the same moment can
 * both pass, as in knox: the limit bounds devices, it is no security boundary.
 */
export async function refuseBeyondTokenLimit(request: FastifyRequest, userId: string) {
  const limit = request.server.accountsSettings.tokenLimitPerUser
  if (limit === null) return
  if ((await countLiveTokens(request.server.db, userId)) >= limit) throw new TokenLimitExceeded()
}
