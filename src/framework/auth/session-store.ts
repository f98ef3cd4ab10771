import type { Database } from '../db/database.ts'
/** A server-side session as stored: never the cookie value itself, only its hash. */
export interface SessionRecord {
  /** A public id (for listing and ending sessions); not the cookie value. */
  id: string
  userId: string
  created: string
  lastSeen: string
  expires: string
  userAgent: string
  ip: string
}

/** What a new session records about the client. */
export interface NewSession {
  userId: string
  userAgent: string
  ip: string
}

/** Lifetimes: absolute (from login) and idle (since last seen); 0 disables idle expiry. */
export interface SessionLifetimes {
  maxAgeSeconds: number
  idleSeconds: number
}

/**
 * Where sessions live (the database by default, Redis when configured). Keys are looked up by
 * their SHA-256; an expired or idle session is gone for every method.
 */
export interface SessionStore {
  /** Create a session; returns the cookie value (shown once) and the record. */
  create(data: NewSession): Promise<{ key: string; session: SessionRecord }>
  /** The live session for a cookie value, or null; refreshes its last-seen time now and then. */
  get(key: string): Promise<SessionRecord | null>
  /** End the session behind a cookie value. */
  delete(key: string): Promise<void>
  /** A user's live sessions, newest first. */
  listForUser(userId: string): Promise<SessionRecord[]>
  /** End one of a user's sessions by public id; false when the user has no such session. */
  deleteForUser(userId: string, id: string): Promise<boolean>
  /**
   * End all of a user's sessions but one (password changes); a database store does it in `trx`
   * when given, so it commits with the change that called for it.
   */
  deleteAllForUser(userId: string, exceptId?: string, trx?: Database): Promise<void>
}

/** How often a live session's last-seen time is written: not on every request. */
export const LAST_SEEN_RESOLUTION_MS = 60_000

/** Two weeks from login (Django's SESSION_COOKIE_AGE), no idle limit. */
export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = {
  maxAgeSeconds: 1_209_600,
  idleSeconds: 0,
}

/** Whether a record is past its absolute or idle limit at `now`. */
export function isExpired(session: SessionRecord, lifetimes: SessionLifetimes, now: number) {
  if (Date.parse(session.expires) <= now) return true
  return (
    lifetimes.idleSeconds > 0 && Date.parse(session.lastSeen) + lifetimes.idleSeconds * 1000 <= now
  )
}
