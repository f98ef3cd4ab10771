import { createHash, randomBytes } from 'node:crypto'

/** A new session cookie value: 256 random bits (well over the 128 a session id needs). */
export function newSessionKey(): string {
  return randomBytes(32).toString('base64url')
}

/** A new public session id: 128 random bits, shown to the user, useless as a cookie. */
export function newSessionId(): string {
  return randomBytes(16).toString('hex')
}

/** The stored form of a session cookie value. */
export function hashSessionKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}
