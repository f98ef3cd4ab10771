import { randomInt, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { PermissionDenied } from '../errors.ts'
import { SAFE_METHODS } from '../permissions/safe-methods.ts'
import { cookieOptions } from './cookie-options.ts'

// Django's CSRF protection: a 32-character secret in the `csrftoken` cookie, sent back masked
// (a fresh 32-character mask per page, so the token in HTML never repeats: BREACH).
const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const SECRET_LENGTH = 32
/** The cookie that carries the CSRF secret (readable by scripts, as Django's is). */
export const CSRF_COOKIE = 'csrftoken'
/** The header a script sends the token in. */
export const CSRF_HEADER = 'x-csrftoken'
/** The form field an HTML form sends the token in. */
export const CSRF_FIELD = 'csrfmiddlewaretoken'
const COOKIE_AGE_SECONDS = 31_449_600

/** Which other sites may post to this one (installPipeline's `csrf`; Django's settings name). */
export interface CsrfSettings {
  /** Origins (`https://app.example.com`) trusted besides the request's own. */
  trustedOrigins: string[]
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The CSRF settings given to installPipeline. */
    csrfSettings: CsrfSettings
  }
}

function randomString(length: number) {
  let s = ''
  for (let i = 0; i < length; i++) s += CHARS[randomInt(CHARS.length)]
  return s
}

function isWellFormed(token: string) {
  return (
    (token.length === SECRET_LENGTH || token.length === 2 * SECRET_LENGTH) &&
    [...token].every((c) => CHARS.includes(c))
  )
}

/** A masked form of a secret: mask + (secret shifted by mask), 64 characters. */
export function maskSecret(secret: string): string {
  const mask = randomString(SECRET_LENGTH)
  let cipher = ''
  for (let i = 0; i < SECRET_LENGTH; i++) {
    cipher += CHARS[(CHARS.indexOf(secret[i]) + CHARS.indexOf(mask[i])) % CHARS.length]
  }
  return mask + cipher
}

/** The secret inside a token, which may be masked (64) or bare (32). */
export function unmaskToken(token: string): string {
  if (token.length === SECRET_LENGTH) return token
  const mask = token.slice(0, SECRET_LENGTH)
  const cipher = token.slice(SECRET_LENGTH)
  let secret = ''
  for (let i = 0; i < SECRET_LENGTH; i++) {
    const n = CHARS.indexOf(cipher[i]) - CHARS.indexOf(mask[i])
    secret += CHARS[(n + CHARS.length) % CHARS.length]
  }
  return secret
}

function secretsMatch(a: string, b: string) {
  // Compared in constant time: the token is a secret an attacker may probe byte by byte.
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

function currentSecret(request: FastifyRequest): string | null {
  const cookie = request.cookies?.[CSRF_COOKIE]
  return cookie && isWellFormed(cookie) ? unmaskToken(cookie) : null
}

/** A fresh CSRF secret, the value of a new `csrftoken` cookie. */
export function newCsrfSecret(): string {
  return randomString(SECRET_LENGTH)
}

/**
 * A masked CSRF token for a page or a login answer, setting the cookie if the client has none
 * (or a malformed one). Call it from any view that renders a form or starts a session.
 */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  let secret = currentSecret(request)
  if (secret === null) {
    secret = newCsrfSecret()
    reply.setCookie(CSRF_COOKIE, secret, {
      ...cookieOptions(request),
      httpOnly: false,
      maxAge: COOKIE_AGE_SECONDS,
    })
    request.cookies[CSRF_COOKIE] = secret
  }
  return maskSecret(secret)
}

/** Replace the CSRF secret (Django rotates it at login). */
export function rotateCsrfToken(request: FastifyRequest, reply: FastifyReply): string {
  delete request.cookies[CSRF_COOKIE]
  return csrfToken(request, reply)
}

function originMatches(request: FastifyRequest, origin: string) {
  return (
    origin === `${request.protocol}://${request.host}` ||
    request.server.csrfSettings.trustedOrigins.includes(origin)
  )
}

function refuseRefererOf(request: FastifyRequest, referer: string): void {
  let refererOrigin = ''
  try {
    refererOrigin = new URL(referer).origin
  } catch {}
  if (!originMatches(request, refererOrigin)) {
    throw new PermissionDenied(
      'CSRF Failed: Referer checking failed - Referer does not match any trusted origins.',
    )
  }
}

/**
 * Whether `enforceCsrf` would look for the token in the body: an unsafe method without the
 * `X-CSRFToken` header (a form post). A scheme that enforces CSRF declares it reads the body then.
 */
export function csrfTokenFromBody(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] === undefined
}

/**
 * The cross-site half of Django's CSRF check, for views a browser must not be made to call from
 * another site even without a session (a login): an `Origin` that is not this site's (or a
 * trusted one) is refused, `null` included (sandboxed frames send it, and it names no site to
 * trust); over TLS, a `Referer` sent without `Origin` must be this site's. A request with neither
 * is no browser's cross-site form (browsers send `Origin` on every cross-site POST), so API clients
 * are let through. Throws PermissionDenied with DRF's "CSRF Failed" body.
 */
export function refuseCrossSite(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return
  const origin = request.headers.origin
  if (origin !== undefined && !originMatches(request, origin)) {
    throw new PermissionDenied(
      `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`,
    )
  }
  const referer = request.headers.referer
  if (request.protocol === 'https' && origin === undefined && referer) {
    refuseRefererOf(request, referer)
  }
}

/**
 * Django's CSRF check for a request authenticated by a cookie (session or JWT cookie) with an
 * unsafe method: a cross-site request is refused, and the cookie's secret must come back in
 * `X-CSRFToken` or `csrfmiddlewaretoken`. Throws PermissionDenied with DRF's "CSRF Failed" body.
 */
export function enforceCsrf(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return
  refuseCrossSite(request)
  if (request.protocol === 'https' && !request.headers.origin && !request.headers.referer) {
    // Over TLS a man-in-the-middle can plant cookies; Django demands a same-site Referer.
    throw new PermissionDenied('CSRF Failed: Referer checking failed - no Referer.')
  }
  const secret = currentSecret(request)
  if (secret === null) throw new PermissionDenied('CSRF Failed: CSRF cookie not set.')
  const body = request.body as Record<string, unknown> | undefined
  const sent =
    (request.headers[CSRF_HEADER] as string | undefined) ??
    (typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : '')
  if (!isWellFormed(sent) || !secretsMatch(unmaskToken(sent), secret)) {
    throw new PermissionDenied('CSRF Failed: CSRF token missing or incorrect.')
  }
}
