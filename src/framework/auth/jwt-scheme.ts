import type { FastifyRequest } from 'fastify'
import { authorizationParts } from './authorization-header.ts'
import { csrfTokenFromBody, enforceCsrf } from './csrf.ts'
import type { JwtClaims } from './jwt/claims.ts'
import type { JwtService } from './jwt/jwt-service.ts'
import { TokenError } from './jwt/token-errors.ts'
import { InvalidToken, JwtAuthenticationFailed } from './jwt-errors.ts'
import type { Authenticated, AuthScheme } from './scheme.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's JWT service: JwtScheme and the token endpoints find it here. */
    jwt: JwtService
  }
}

/** The HttpOnly cookie that carries the access token in cookie mode (`JWT_AUTH_COOKIE=1`). */
export const JWT_ACCESS_COOKIE = 'jwt-auth'

/** Where the access token came from: a cookie one needs the CSRF check, as a session does. */
interface PresentedToken {
  token: string
  fromCookie: boolean
}

function presentedToken(request: FastifyRequest): PresentedToken | null {
  if (request.headers.authorization) {
    const parts = authorizationParts(request, 'bearer')
    // Another scheme's header (Basic, Token): not ours, and the cookie is not looked at either.
    if (!parts) return null
    if (parts.length !== 2) {
      throw new JwtAuthenticationFailed(
        'Authorization header must contain two space-delimited values',
        'bad_authorization_header',
      )
    }
    return { token: parts[1], fromCookie: false }
  }
  const cookie = request.server.jwt.settings.authCookie
    ? request.cookies?.[JWT_ACCESS_COOKIE]
    : undefined
  return cookie ? { token: cookie, fromCookie: true } : null
}

async function accessClaims(request: FastifyRequest, token: string): Promise<JwtClaims> {
  try {
    return await request.server.jwt.verify(token, 'access')
  } catch (err) {
    if (!(err instanceof TokenError)) throw err
    // simplejwt's AUTH_TOKEN_CLASSES is (AccessToken,): one entry says why it refused.
    throw new InvalidToken('Given token not valid for any token type', [
      { token_class: 'AccessToken', token_type: 'access', message: err.message },
    ])
  }
}

/**
 * `Authorization: Bearer <access>` (simplejwt's JWTAuthentication), or in cookie mode the
 * `jwt-auth` cookie (dj-rest-auth's JWTCookieAuthentication). `request.auth` is the claims.
 * Needs `app.jwt` (a JwtService) on the server.
 */
export const JwtScheme: AuthScheme = {
  name: 'jwt',
  needs: ['users', 'jwt'],
  challenge: 'Bearer realm="api"',
  // The cookie too, in cookie mode (a server setting the scheme does not see here).
  vary: ['Authorization', 'Cookie'],
  // Not a JWT request answers at once; a token waits for its signature check.
  authenticate(request) {
    const presented = presentedToken(request)
    return presented ? jwtUser(request, presented) : null
  },
  // In cookie mode the CSRF token of a form post is a field of its body, as for a session.
  readsBody: (request) =>
    !request.headers.authorization &&
    request.server.jwt.settings.authCookie &&
    Boolean(request.cookies?.[JWT_ACCESS_COOKIE]) &&
    csrfTokenFromBody(request),
}

async function jwtUser(request: FastifyRequest, presented: PresentedToken): Promise<Authenticated> {
  const claims = await accessClaims(request, presented.token)
  const user = await request.server.users.userById(claims.user_id)
  if (!user) throw new JwtAuthenticationFailed('User not found', 'user_not_found')
  if (!user.is_active) throw new JwtAuthenticationFailed('User is inactive', 'user_inactive')
  // A browser attaches the cookie to cross-site requests too: unsafe methods need the CSRF token.
  if (presented.fromCookie) enforceCsrf(request)
  return { user, auth: claims }
}
