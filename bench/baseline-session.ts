/**
 * The session and CSRF checks of the session POST, written by hand for both bare baselines: the
 * `sessionid` cookie's row found by its SHA-256, its expiry and once-a-minute last-seen write,
 * the user active, then Django's CSRF check (same-site Origin, the `csrftoken` cookie's secret
 * back in `X-CSRFToken`, compared in constant time). The answers are Portcullis's.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** A `sessions` row as the session statement reads it (the columns it needs here). */
export interface SessionRow {
  id: string
  user_id: string
  last_seen: string
  expires: string
}

/** How often a live session's last-seen time is written (Portcullis's LAST_SEEN_RESOLUTION_MS). */
export const LAST_SEEN_RESOLUTION_MS = 60_000

/** One cookie's value from the `Cookie` header, or null. */
export function cookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie
  if (header === undefined) return null
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === name) return decodeURIComponent(pair.slice(eq + 1))
  }
  return null
}

/** The stored form of a session cookie value. */
export function sessionKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** What to do with a session row: serve it, end it (expired), or write its last-seen time. */
export function sessionState(row: SessionRow, now: number): 'expired' | 'stale' | 'live' {
  if (Date.parse(row.expires) <= now) return 'expired'
  return now - Date.parse(row.last_seen) >= LAST_SEEN_RESOLUTION_MS ? 'stale' : 'live'
}

const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const SECRET_LENGTH = 32
const WELL_FORMED = /^(?:[a-zA-Z0-9]{32}|[a-zA-Z0-9]{64})$/

function unmask(token: string): string {
  if (token.length === SECRET_LENGTH) return token
  let secret = ''
  for (let i = 0; i < SECRET_LENGTH; i++) {
    const n = CHARS.indexOf(token[SECRET_LENGTH + i]) - CHARS.indexOf(token[i])
    secret += CHARS[(n + CHARS.length) % CHARS.length]
  }
  return secret
}

/** Django's CSRF check on an unsafe request; false after sending DRF's 403. */
export function csrfPasses(request: FastifyRequest, reply: FastifyReply): boolean {
  const origin = request.headers.origin
  const cookieToken = cookie(request, 'csrftoken')
  const sent = request.headers['x-csrftoken']
  let detail: string | null = null
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
    detail = `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`
  } else if (cookieToken === null || !WELL_FORMED.test(cookieToken)) {
    detail = 'CSRF Failed: CSRF cookie not set.'
  } else {
    const secret = Buffer.from(unmask(cookieToken))
    const given =
      typeof sent === 'string' && WELL_FORMED.test(sent) ? Buffer.from(unmask(sent)) : null
    // Constant time: the token is a secret an attacker may probe byte by byte.
    if (given === null || !timingSafeEqual(given, secret)) {
      detail = 'CSRF Failed: CSRF token missing or incorrect.'
    }
  }
  if (detail === null) return true
  reply.code(403).send({ detail })
  return false
}

/** DRF's 401 for a request with no credentials (the first scheme, Basic, names the challenge). */
export function notAuthenticated(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Basic realm="api"')
    .send({ detail: 'Authentication credentials were not provided.' })
}

/** The 400 of a name another bucketlist has. */
export function nameTaken(reply: FastifyReply) {
  return reply.code(400).send({ name: ['bucketlist with this name already exists.'] })
}
