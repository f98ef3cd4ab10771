import type { FastifyReply, FastifyRequest } from 'fastify'
import { cookieOptions } from '../../framework/auth/cookie-options.ts'
import { JWT_ACCESS_COOKIE } from '../../framework/auth/jwt-scheme.ts'

/** The HttpOnly cookie that carries the refresh token in cookie mode. */
export const JWT_REFRESH_COOKIE = 'jwt-refresh'

/** A signed token and its `exp`, which the cookie's expiry follows. */
export interface CookieToken {
  token: string
  exp: number
}

/**
 * Set the access cookie, and the refresh cookie when there is a new refresh token. The refresh
 * cookie's path is the token endpoints' (`refreshPath`): other requests carry just the access token.
 */
export function setJwtCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  refreshPath: string,
  access: CookieToken,
  refresh?: CookieToken,
): void {
  // HttpOnly (scripts cannot read them), SameSite=Lax, Secure over TLS: cookieOptions().
  const options = cookieOptions(request)
  reply.setCookie(JWT_ACCESS_COOKIE, access.token, {
    ...options,
    expires: new Date(access.exp * 1000),
  })
  if (refresh) {
    reply.setCookie(JWT_REFRESH_COOKIE, refresh.token, {
      ...options,
      path: refreshPath,
      expires: new Date(refresh.exp * 1000),
    })
  }
}

/** Clear both cookies (after the refresh token was blacklisted); the refresh one at its path. */
export function clearJwtCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  refreshPath: string,
): void {
  const options = cookieOptions(request)
  reply.clearCookie(JWT_ACCESS_COOKIE, options)
  reply.clearCookie(JWT_REFRESH_COOKIE, { ...options, path: refreshPath })
}

/** The refresh cookie's value, when cookie mode is on and the client sent one. */
export function refreshCookie(request: FastifyRequest): string | undefined {
  if (!request.server.jwt.settings.authCookie) return undefined
  return request.cookies?.[JWT_REFRESH_COOKIE] || undefined
}
