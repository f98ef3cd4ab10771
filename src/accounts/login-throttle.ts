import type { FastifyRequest } from 'fastify'
import {
  AnonRateThrottle,
  loginThrottle,
  UserRateThrottle,
} from '../framework/throttling/rate-throttle.ts'
import type { Throttle } from '../framework/throttling/throttle.ts'
import { decodeUid } from './credentials/one-time-token.ts'
import { accountForLogin } from './user-backend.ts'
import { userRowById } from './user-changes.ts'

/**
 * The account a login tries, from its `username` or `email` field, counted as Basic counts its
 * login (`accountForLogin`): an email and its account's username share one count.
 */
export async function loginAccount(request: FastifyRequest): Promise<string | null> {
  const body = request.body as Record<string, unknown> | undefined
  const raw = body?.username ?? body?.email
  return typeof raw === 'string' ? accountForLogin(request.server.db, raw) : null
}

/** The throttles of the login endpoints: anon, user, and login per IP and per account tried. */
export const LOGIN_THROTTLES: readonly Throttle[] = [
  AnonRateThrottle,
  UserRateThrottle,
  loginThrottle(loginAccount, { accountFromBody: true }),
]

/** The signed-in requester's account: a password they give counts against it, as a login. */
export function requesterAccount(request: FastifyRequest): string | null {
  return request.user ? request.user.username.toLowerCase() : null
}

/**
 * The throttles of endpoints where a signed-in user gives a password (their current one, or a new
 * one): login per IP and per their account, so a stolen session cannot guess faster than a login.
 */
export const PASSWORD_THROTTLES: readonly Throttle[] = [
  AnonRateThrottle,
  UserRateThrottle,
  loginThrottle(requesterAccount),
]

/** The account a password reset link's `uid` names, or null when it names none. */
export async function resetLinkAccount(request: FastifyRequest): Promise<string | null> {
  const uid = (request.body as Record<string, unknown> | undefined)?.uid
  const id = typeof uid === 'string' ? decodeUid(uid) : null
  const user = id === null ? undefined : await userRowById(request.server.db, id)
  return user ? user.username.toLowerCase() : null
}

/** The throttles of reset confirmations: login per IP and per the account the link names. */
export const RESET_CONFIRM_THROTTLES: readonly Throttle[] = [
  AnonRateThrottle,
  UserRateThrottle,
  loginThrottle(resetLinkAccount, { accountFromBody: true }),
]
