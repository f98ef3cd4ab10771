import type { FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import {
  AnonRateThrottle,
  loginThrottle,
  UserRateThrottle,
} from '../framework/throttling/rate-throttle.ts'
import type { Throttle } from '../framework/throttling/throttle.ts'

/**
 * The account a login tries, from its `username` or `email` field: an email counts as its
 * account's username, so switching between the two spellings buys no extra tries; case is folded.
 */
export async function loginAccount(request: FastifyRequest): Promise<string | null> {
  const body = request.body as Record<string, unknown> | undefined
  const raw = body?.username ?? body?.email
  if (typeof raw !== 'string' || raw.trim() === '') return null
  const login = raw.trim().toLowerCase()
  if (!login.includes('@')) return login
  const user = await request.server.db
    .selectFrom('users')
    .select('username')
    .where(sql`lower(email)`, '=', login)
    .executeTakeFirst()
  return user ? user.username.toLowerCase() : login
}

/** The throttles of every endpoint that takes a password: anon, user, and login per IP and account. */
export const LOGIN_THROTTLES: readonly Throttle[] = [
  AnonRateThrottle,
  UserRateThrottle,
  loginThrottle(loginAccount),
]
