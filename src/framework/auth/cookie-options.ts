import type { CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyRequest } from 'fastify'

/** How the server's auth cookies are sent (installPipeline's `cookies`). */
export interface CookieSettings {
  /** Secure on every request, TLS or not: for a server behind a TLS-terminating proxy. */
  secure: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The cookie settings given to installPipeline. */
    cookieSettings: CookieSettings
  }
}

/**
 * The attributes every auth cookie shares: whole site, SameSite=Lax, HttpOnly, and Secure when
 * the request came over TLS or the cookie settings say every request is (behind a TLS proxy).
 */
export function cookieOptions(request: FastifyRequest): CookieSerializeOptions {
  return {
    path: '/',
    sameSite: 'lax',
    httpOnly: true,
    secure: request.protocol === 'https' || request.server.cookieSettings.secure,
  }
}
