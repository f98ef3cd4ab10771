import type { FastifyRequest } from 'fastify'
import { mintToken } from './tokens.ts'

// TOKEN_TTL (seconds; TOKEN_TTL_SECONDS is read too): the lifetime of tokens minted at login.
function tokenTtl(): number | null {
  const ttl = Number(process.env.TOKEN_TTL ?? process.env.TOKEN_TTL_SECONDS)
  return Number.isFinite(ttl) && ttl > 0 ? ttl : null
}

/**
 * The token of a login (every login endpoint): every login is a new device, so logging out
 * elsewhere leaves this one alone; named after the client, and expiring when TOKEN_TTL says so.
 */
export function mintLoginToken(request: FastifyRequest, userId: string): Promise<string> {
  return mintToken(request.server.db, userId, {
    name: String(request.headers['user-agent'] ?? ''),
    ttlSeconds: tokenTtl(),
  })
}
