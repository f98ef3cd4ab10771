import type { Database } from '../../framework/db/database.ts'
import { isoFromSeconds } from './moments.ts'
// Adds the JWT tables to Kysely's `Tables` wherever the blacklist is compiled.
import './tables.ts'

/** Whether a token id is blacklisted: a primary-key lookup, in the database so every process agrees. */
export async function isBlacklisted(db: Database, jti: string): Promise<boolean> {
  const row = await db
    .selectFrom('jwt_blacklist')
    .select('jti')
    .where('jti', '=', jti)
    .executeTakeFirst()
  return row !== undefined
}

/** Blacklist a token until its `exp` (seconds); blacklisting it twice is harmless. */
export async function addToBlacklist(db: Database, jti: string, exp: number): Promise<void> {
  await db
    .insertInto('jwt_blacklist')
    .values({ jti, expires: isoFromSeconds(exp) })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute()
}

/** Delete blacklist and family rows of tokens that expired before `cutoffMs`. */
export async function deleteExpiredRows(db: Database, cutoffMs: number): Promise<void> {
  const cutoff = new Date(cutoffMs).toISOString()
  await db.deleteFrom('jwt_blacklist').where('expires', '<', cutoff).execute()
  await db.deleteFrom('jwt_refresh_families').where('expires', '<', cutoff).execute()
}
