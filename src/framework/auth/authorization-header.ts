import type { FastifyRequest } from 'fastify'

const LEADING_SPACE = /^\s/

/**
 * The `Authorization` header split on spaces when its first word is `keyword`
 * (case-insensitive, as DRF's `get_authorization_header().split()`), else null.
 */
export function authorizationParts(request: FastifyRequest, keyword: string): string[] | null {
  const header = request.headers.authorization
  if (!header) return null
  // Each scheme of a view asks in turn: another scheme's header is told apart without a split.
  if (header.slice(0, keyword.length).toLowerCase() !== keyword && !LEADING_SPACE.test(header)) {
    return null
  }
  const parts = header.split(/\s+/).filter(Boolean)
  if (parts.length === 0 || parts[0].toLowerCase() !== keyword) return null
  return parts
}
