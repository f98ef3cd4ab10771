import type { FastifyRequest } from 'fastify'

/**
 * The `Authorization` header split on spaces when its first word is `keyword`
 * (case-insensitive, as DRF's `get_authorization_header().split()`), else null.
 */
export function authorizationParts(request: FastifyRequest, keyword: string): string[] | null {
  const header = request.headers.authorization
  if (!header) return null
  const parts = header.split(/\s+/).filter(Boolean)
  if (parts.length === 0 || parts[0].toLowerCase() !== keyword) return null
  return parts
}
