import type { FastifyRequest } from 'fastify'
import { refuseBeyondTokenLimit } from './token-limit.ts'
import { mintToken } from './tokens.ts'

/**
 * The token of a login (every login endpoint): every login is a new device, so logging out
 * elsewhere leaves this one alone; named after the client, and expiring when the accounts
 * settings give tokens a lifetime. A user at `tokenLimitPerUser` gets TokenLimitExceeded.
 */
export async function mintLoginToken(request: FastifyRequest, userId: string): Promise<string> {
  await refuseBeyondTokenLimit(request, userId)
  return mintToken(request.server.db, userId, {
    name: String(request.headers['user-agent'] ?? ''),
    ttlSeconds: request.server.accountsSettings.tokenTtlSeconds,
  })
}
