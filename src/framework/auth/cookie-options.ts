import type { CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyRequest } from 'fastify'

/**
 * The attributes every auth cookie shares: whole site, SameSite=Lax, HttpOnly, and Secure when
 * the request came over TLS or `SECURE_COOKIES=1` (behind a TLS-terminating proxy).
 */
export function cookieOptions(request: FastifyRequest): CookieSerializeOptions {
  return {
    path: '/',
    sameSite: 'lax',
    httpOnly: true,
    secure: request.protocol === 'https' || process.env.SECURE_COOKIES === '1',
  }
}
