import type { FastifyRequest } from 'fastify'

const LEADING_SPACE = /^\s/
// Whitespace other than the plain space: a header holding any is split the general way.
const UNUSUAL_SPACE = /[^\S ]/

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
  // The usual header, "<Keyword> <credentials>" with one space between, needs no split either.
  const space = header.indexOf(' ')
  if (
    space === keyword.length &&
    space < header.length - 1 &&
    header.indexOf(' ', space + 1) === -1 &&
    !UNUSUAL_SPACE.test(header)
  ) {
    return [header.slice(0, space), header.slice(space + 1)]
  }
  const parts = header.split(/\s+/).filter(Boolean)
  if (parts.length === 0 || parts[0].toLowerCase() !== keyword) return null
  return parts
}
