import type { JwtClaims } from '../../framework/auth/jwt/claims.ts'
import type { JwtService } from '../../framework/auth/jwt/jwt-service.ts'
import type { Database } from '../../framework/db/database.ts'
import { addToBlacklist, deleteExpiredRows, isBlacklisted } from './blacklist.ts'
import {
  type FamilyToken,
  familyHead,
  recordRotation,
  revokeFamily,
  rotationOf,
} from './refresh-families.ts'

/** The server-side state of refresh tokens: the blacklist and the rotation families. */
export interface RefreshTokenStore {
  /** Whether the token is blacklisted (logged out, rotated out, or its family revoked). */
  isBlacklisted(jti: string): Promise<boolean>
  /** Blacklist a token until it expires. */
  blacklist(token: { jti: string; exp: number }): Promise<void>
  /** Rotate `old` out for `successor`; false when another request just rotated it. */
  rotate(old: JwtClaims, successor: JwtClaims): Promise<boolean>
  /**
   * For a rotated-out token presented again: within the grace window, the family's live token
   * (to hand out again); after it, null, and the whole family is revoked (a replay). Null too
   * when the token was blacklisted otherwise, or the family was logged out or revoked.
   */
  afterRotation(jti: string): Promise<FamilyToken | null>
  /** Delete the rows of expired tokens now. */
  pruneExpired(): Promise<void>
}

// Expired rows are swept at most this often per process, on the way in (a write), never on reads.
const PRUNE_INTERVAL_MS = 60_000

/** The store over the database, timed by the JWT service's clock. */
export function refreshTokenStore(db: Database, jwt: JwtService): RefreshTokenStore {
  let lastPrune = Number.NEGATIVE_INFINITY

  async function pruneExpired() {
    lastPrune = jwt.now()
    // A row may go once its token is refused as expired: past `exp` plus the leeway, plus a
    // minute for processes whose clocks lag ours.
    const margin = (jwt.settings.leewaySeconds + 60) * 1000
    await deleteExpiredRows(db, jwt.now() - margin)
  }

  async function pruneNowAndThen() {
    if (jwt.now() - lastPrune >= PRUNE_INTERVAL_MS) await pruneExpired()
  }

  return {
    isBlacklisted: (jti) => isBlacklisted(db, jti),
    async blacklist(token) {
      await pruneNowAndThen()
      await addToBlacklist(db, token.jti, token.exp)
    },
    async rotate(old, successor) {
      await pruneNowAndThen()
      return recordRotation(db, old, successor, jwt.now())
    },
    async afterRotation(jti) {
      const rotation = await rotationOf(db, jti)
      if (!rotation) return null
      if (jwt.now() - rotation.rotatedAtMs > jwt.settings.refreshGraceSeconds * 1000) {
        await revokeFamily(db, rotation.family)
        return null
      }
      const head = await familyHead(db, rotation.successor)
      // A family whose live token was logged out (or revoked) gives nothing back, grace or not.
      if (!head || (await isBlacklisted(db, head.jti))) return null
      return head
    },
    pruneExpired,
  }
}
