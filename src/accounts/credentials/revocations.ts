import type { Database } from '../../framework/db/database.ts'
import { holdsNul } from '../../framework/db/storable-text.ts'
import { msOf } from '../jwt/moments.ts'
// Adds `credential_revocations` to Kysely's `Tables` wherever this is compiled.
import './tables.ts'

/** Record that every refresh token the user holds, issued up to `atMs`, is revoked. */
export async function revokeRefreshTokensBefore(db: Database, userId: string, atMs: number) {
  const revokedAt = new Date(atMs).toISOString()
  await db
    .insertInto('credential_revocations')
    .values({ user_id: userId, revoked_at: revokedAt })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ revoked_at: revokedAt }))
    .execute()
}

/**
 * Whether a refresh token (its `user_id` and `iat` in whole seconds) predates the user's last
 * password change. A token issued in the very second of the change counts as older: `iat` has no
 * finer resolution, and refusing a token that is new costs a login, accepting one that is old
 * costs the change its point.
 */
export async function issuedBeforeRevocation(
  db: Database,
  claims: { user_id: string; iat: number },
): Promise<boolean> {
  // A user id no row can hold names no user, and so no password change.
  if (holdsNul(claims.user_id)) return false
  const row = await db
    .selectFrom('credential_revocations')
    .select('revoked_at')
    .where('user_id', '=', claims.user_id)
    .executeTakeFirst()
  return row !== undefined && claims.iat <= Math.floor(msOf(row.revoked_at) / 1000)
}
