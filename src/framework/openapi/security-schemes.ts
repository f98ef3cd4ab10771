import { BasicScheme } from '../auth/basic-scheme.ts'
import { CSRF_COOKIE } from '../auth/csrf.ts'
import { JwtScheme } from '../auth/jwt-scheme.ts'
import type { AuthScheme } from '../auth/scheme.ts'
import { SESSION_COOKIE, SessionScheme } from '../auth/session-scheme.ts'
import { TokenScheme } from '../auth/token-scheme.ts'

/** An OpenAPI security scheme object. */
export type SecurityScheme = Record<string, unknown>

/** The four schemes of the server, always described (API.md §2). */
export const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  basicAuth: {
    type: 'http',
    scheme: 'basic',
    description: 'A username (or email address) and password.',
  },
  tokenAuth: tokenSecurity('Token'),
  jwtAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from `POST /api/token/`, as `Authorization: Bearer <access>`.',
  },
  sessionAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      `The \`${SESSION_COOKIE}\` cookie set by a login. POST, PUT, PATCH and DELETE also need ` +
      `the \`X-CSRFToken\` header, set to the \`${CSRF_COOKIE}\` cookie's value.`,
  },
}

function tokenSecurity(keyword: string): SecurityScheme {
  return {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: `A token key, sent as \`Authorization: ${keyword} <key>\`.`,
  }
}

/**
 * The security scheme an authentication scheme is described by, and its description when it is
 * not one of the four (a token scheme with another keyword); null for a scheme OpenAPI cannot name.
 */
export function securitySchemeOf(
  scheme: AuthScheme,
): { name: string; scheme: SecurityScheme } | null {
  const known =
    scheme === BasicScheme || scheme.name === 'basic'
      ? 'basicAuth'
      : scheme === JwtScheme || scheme.name === 'jwt'
        ? 'jwtAuth'
        : scheme === SessionScheme || scheme.name === 'session'
          ? 'sessionAuth'
          : scheme === TokenScheme
            ? 'tokenAuth'
            : null
  if (known) return { name: known, scheme: SECURITY_SCHEMES[known] }
  // tokenScheme({keyword}): its challenge is its keyword.
  if (scheme.name === 'token' && scheme.challenge) {
    const keyword = scheme.challenge
    if (keyword === 'Token') return { name: 'tokenAuth', scheme: SECURITY_SCHEMES.tokenAuth }
    return { name: `${keyword.toLowerCase()}TokenAuth`, scheme: tokenSecurity(keyword) }
  }
  return null
}
