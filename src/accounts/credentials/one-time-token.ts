import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/** What a one-time token is made for; each purpose signs with a key of its own. */
export type TokenPurpose = 'password_reset' | 'activation'

/** The user state a token is bound to: any change to it (a new password, a login) voids it. */
export interface TokenUser {
  id: string
  /** The password hash, so a token stops working once the password it was for is replaced. */
  password: string
  email: string
  is_active: boolean | number
  last_login: string | Date | null
}

/** Django's PASSWORD_RESET_TIMEOUT default: three days, in seconds. */
export const DEFAULT_TOKEN_TIMEOUT_SECONDS = 259_200

// Django counts token timestamps in seconds since 2001-01-01, which keeps them short in base 36.
const EPOCH_2001_MS = Date.UTC(2001, 0, 1)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BASE64URL = /^[A-Za-z0-9_-]+$/
const TOKEN = /^([0-9a-z]{1,13})-([0-9a-f]{64})$/

// Django's salted_hmac: the key is a hash of a purpose salt and the secret, so a token made for
// one purpose (or by another Django app) never checks for another.
function key(secret: string, purpose: TokenPurpose): Buffer {
  const salt = `portcullis.accounts.one-time-token.${purpose}`
  return createHash('sha256')
    .update(salt + secret)
    .digest()
}

function lastLoginSeconds(value: string | Date | null): string {
  if (value === null) return ''
  const ms = value instanceof Date ? value.getTime() : Date.parse(value)
  // Whole seconds: SQLite and PostgreSQL give the same moment back at different precisions.
  return String(Math.floor(ms / 1000))
}

function signature(user: TokenUser, timestamp: number, secret: string, purpose: TokenPurpose) {
  // Separated by NULs so that no two different states can concatenate to the same string.
  const state = [
    user.id,
    user.password,
    lastLoginSeconds(user.last_login),
    user.is_active ? '1' : '0',
    user.email,
    String(timestamp),
  ].join('\0')
  return createHmac('sha256', key(secret, purpose)).update(state).digest('hex')
}

const secondsSince2001 = (nowMs: number) => Math.floor((nowMs - EPOCH_2001_MS) / 1000)

/**
 * Django's PasswordResetTokenGenerator.make_token: `<base36 timestamp>-<HMAC-SHA256 hex>` over
 * the user's id, password hash, last login, active flag and email. Never stored.
 */
export function makeToken(
  user: TokenUser,
  secret: string,
  now: number = Date.now(),
  purpose: TokenPurpose = 'password_reset',
): string {
  const timestamp = secondsSince2001(now)
  return `${timestamp.toString(36)}-${signature(user, timestamp, secret, purpose)}`
}

/** Whether `token` was made for this user in this state, and is at most `timeoutSeconds` old. */
export function checkToken(
  user: TokenUser,
  token: string,
  secret: string,
  now: number = Date.now(),
  timeoutSeconds: number = DEFAULT_TOKEN_TIMEOUT_SECONDS,
  purpose: TokenPurpose = 'password_reset',
): boolean {
  const parts = TOKEN.exec(token)
  if (!parts) return false
  const timestamp = Number.parseInt(parts[1]!, 36)
  const expected = Buffer.from(signature(user, timestamp, secret, purpose), 'hex')
  // Constant time: a byte-by-byte comparison would let timing guide a forger towards the HMAC.
  if (!timingSafeEqual(expected, Buffer.from(parts[2]!, 'hex'))) return false
  return secondsSince2001(now) - timestamp <= timeoutSeconds
}

/** djoser's encode_uid: the user id as unpadded base64url, the `uid` of activation and reset links. */
export function encodeUid(userId: string): string {
  return Buffer.from(userId, 'utf8').toString('base64url')
}

/** djoser's decode_uid: the user id in a `uid`, or null when it is not one of ours. */
export function decodeUid(uid: string): string | null {
  if (!BASE64URL.test(uid)) return null
  const id = Buffer.from(uid, 'base64url').toString('utf8')
  // Only a well-formed id reaches a query; anything else is "no such user".
  return UUID.test(id) ? id : null
}
