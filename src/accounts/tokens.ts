import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../framework/db/database.ts'
import type { Tables } from '../framework/db/tables.ts'

/** The SHA-256 of a token key: the only form in which a key is stored. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** A new token record id: 128 random bits as 32 hex characters (public, unlike the key). */
export function newTokenId(): string {
  return randomBytes(16).toString('hex')
}

/** A token record as `request.auth` carries it (never the key). */
export interface TokenRecord {
  id: string
  user_id: string
  name: string
}

/** Options of `mintToken`: a label (the client) and a lifetime in seconds. */
export interface MintOptions {
  name?: string
  ttlSeconds?: number | null
}

/**
 * Create a token for a user and return its key, which is shown once: 160 random bits as 40 hex
 * characters (the shape DRF clients know); only its SHA-256 is stored, so a dump holds no key.
 */
export async function mintToken(
  db: Kysely<Tables>,
  userId: string,
  options: MintOptions = {},
): Promise<string> {
  const key = randomBytes(20).toString('hex')
  const now = Date.now()
  await db
    .insertInto('auth_tokens')
    .values({
      id: newTokenId(),
      key_hash: hashKey(key),
      user_id: userId,
      name: (options.name ?? '').slice(0, 200),
      created: new Date(now).toISOString(),
      expires: options.ttlSeconds ? new Date(now + options.ttlSeconds * 1000).toISOString() : null,
    })
    .execute()
  return key
}

/** Revoke one token by its record id. */
export async function revokeToken(db: Database, tokenId: string): Promise<void> {
  await db.deleteFrom('auth_tokens').where('id', '=', tokenId).execute()
}

/** How often a token's `last_used` is written: at most once a minute, not on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000

/** Whether a token last used at `lastUsed` (null: never) is due a new `last_used` at `now`. */
export function lastUsedIsStale(lastUsed: string | Date | null, now: number): boolean {
  return lastUsed === null || now - new Date(lastUsed).getTime() >= LAST_USED_RESOLUTION_MS
}

/**
 * Record that a token was used at `now`. The staleness test is repeated in the UPDATE, so
 * concurrent requests on one token write it once, not once each.
 */
export async function recordTokenUse(db: Database, tokenId: string, now = Date.now()) {
  const cutoff = new Date(now - LAST_USED_RESOLUTION_MS).toISOString()
  await db
    .updateTable('auth_tokens')
    .set({ last_used: new Date(now).toISOString() })
    .where('id', '=', tokenId)
    .where((eb) => eb.or([eb('last_used', 'is', null), eb('last_used', '<=', cutoff)]))
    .execute()
}

/**
 * How many of a user's tokens still work at `now`: unexpired ones, those without an expiry
 * included (knox counts them since its fix of issue 280).
 */
export async function countLiveTokens(db: Database, userId: string, now = Date.now()) {
  const { count } = await db
    .selectFrom('auth_tokens')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([eb('expires', 'is', null), eb('expires', '>', new Date(now).toISOString())]),
    )
    .executeTakeFirstOrThrow()
  return Number(count)
}

/** Revoke every token of a user (knox's logoutall): each device is logged out. */
export async function revokeUserTokens(db: Database, userId: string): Promise<void> {
  await db.deleteFrom('auth_tokens').where('user_id', '=', userId).execute()
}
