import type { JwtClaims } from '../../framework/auth/jwt/claims.ts'
import type { Database } from '../../framework/db/database.ts'
import { uniqueViolation } from '../../framework/db/unique-violation.ts'
import { addToBlacklist } from './blacklist.ts'
import { isoFromSeconds, msOf, secondsOf } from './moments.ts'

/*
 * Rotation families. A login's refresh token starts a family; each rotation adds its successor.
 * Rows: one per token that took part in a rotation, naming its family (the first token's jti),
 * and once rotated out, when and by which successor. Following successors from any rotated-out
 * token reaches the family's live token (the head). Rows go when their token expires.
 */

/** A refresh token of a family, with what it takes to sign it again. */
export interface FamilyToken {
  jti: string
  iat: number
  exp: number
}

/** When a token was rotated out, in which family, and what replaced it. */
export interface Rotation {
  family: string
  rotatedAtMs: number
  successor: string
}

// A chain longer than this within one grace window is not two tabs; refuse rather than walk on.
const MAX_CHAIN = 32

/**
 * Record, atomically, that `old` was rotated out for `successor` at `atMs`, and blacklist `old`.
 * False when another request rotated `old` first (that request's answer stands).
 */
export async function recordRotation(
  db: Database,
  old: JwtClaims,
  successor: JwtClaims,
  atMs: number,
): Promise<boolean> {
  const rotatedAt = new Date(atMs).toISOString()
  try {
    await db.transaction().execute(async (trx) => {
      // The claim comes first, and is a single write: of two requests rotating one token, the
      // second finds rotated_at set (PostgreSQL re-checks it after the first commits).
      const claimed = await trx
        .updateTable('jwt_refresh_families')
        .set({ rotated_at: rotatedAt, successor: successor.jti })
        .where('jti', '=', old.jti)
        .where('rotated_at', 'is', null)
        .returning('family')
        .executeTakeFirst()
      const family = claimed?.family ?? old.jti
      if (!claimed) {
        // A login's token has no row yet: inserting it is the claim, and a second insert (or a
        // row already rotated) is a unique violation, so the loser backs off.
        await trx
          .insertInto('jwt_refresh_families')
          .values({ ...row(old, family), rotated_at: rotatedAt, successor: successor.jti })
          .execute()
      }
      await trx
        .insertInto('jwt_refresh_families')
        .values({ ...row(successor, family), rotated_at: null, successor: null })
        .execute()
      await addToBlacklist(trx, old.jti, old.exp)
    })
    return true
  } catch (err) {
    if (uniqueViolation(err)) return false
    throw err
  }
}

function row(token: JwtClaims, family: string) {
  return {
    jti: token.jti,
    family,
    issued_at: isoFromSeconds(token.iat),
    expires: isoFromSeconds(token.exp),
  }
}

/** How a token was rotated out, or null if it never was (a logout blacklisted it). */
export async function rotationOf(db: Database, jti: string): Promise<Rotation | null> {
  const found = await db
    .selectFrom('jwt_refresh_families')
    .select(['family', 'rotated_at', 'successor'])
    .where('jti', '=', jti)
    .executeTakeFirst()
  if (!found?.rotated_at || !found.successor) return null
  return { family: found.family, rotatedAtMs: msOf(found.rotated_at), successor: found.successor }
}

/** The family's live token, found by following successors from `jti`; null if the chain breaks. */
export async function familyHead(db: Database, jti: string): Promise<FamilyToken | null> {
  let next = jti
  for (let step = 0; step < MAX_CHAIN; step++) {
    const found = await db
      .selectFrom('jwt_refresh_families')
      .select(['jti', 'issued_at', 'expires', 'rotated_at', 'successor'])
      .where('jti', '=', next)
      .executeTakeFirst()
    if (!found) return null
    if (!found.rotated_at || !found.successor) {
      return { jti: found.jti, iat: secondsOf(found.issued_at), exp: secondsOf(found.expires) }
    }
    next = found.successor
  }
  return null
}

/** Blacklist every token of a family, in one statement: a replay means one of them leaked. */
export async function revokeFamily(db: Database, family: string): Promise<void> {
  await db
    .insertInto('jwt_blacklist')
    .columns(['jti', 'expires'])
    .expression(
      db.selectFrom('jwt_refresh_families').select(['jti', 'expires']).where('family', '=', family),
    )
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute()
}
