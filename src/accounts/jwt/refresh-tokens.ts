import type { JwtClaims } from '../../framework/auth/jwt/claims.ts'
import type { JwtService } from '../../framework/auth/jwt/jwt-service.ts'
import { TokenBlacklisted } from '../../framework/auth/jwt/token-errors.ts'
import type { FamilyToken } from './refresh-families.ts'
import type { RefreshTokenStore } from './refresh-token-store.ts'

/** The claims a refresh answers with: a new access token, and the refresh token when rotating. */
export interface RefreshedClaims {
  access: JwtClaims
  refresh?: JwtClaims
}

// The family's live token, signed again: same claims (for HS256, the very same string).
function reissue(jwt: JwtService, presented: JwtClaims, head: FamilyToken): RefreshedClaims {
  const refresh = { ...presented, exp: head.exp, iat: head.iat, jti: head.jti }
  return { access: jwt.accessClaimsFor(refresh), refresh }
}

async function afterRotation(
  jwt: JwtService,
  store: RefreshTokenStore,
  presented: JwtClaims,
): Promise<RefreshedClaims> {
  const head = await store.afterRotation(presented.jti)
  if (!head) throw new TokenBlacklisted()
  return reissue(jwt, presented, head)
}

/**
 * simplejwt's TokenRefreshSerializer for a verified refresh token, with rotation families when
 * rotation and blacklisting are both on: the token is rotated out (blacklisted) for a successor;
 * presented again within the grace window it answers with the family's live token, after it
 * the family is revoked. Throws TokenBlacklisted.
 */
export async function refreshTokens(
  jwt: JwtService,
  store: RefreshTokenStore,
  presented: JwtClaims,
): Promise<RefreshedClaims> {
  const { rotateRefreshTokens, blacklistAfterRotation } = jwt.settings
  const tracked = rotateRefreshTokens && blacklistAfterRotation
  if (await store.isBlacklisted(presented.jti)) {
    if (!tracked) throw new TokenBlacklisted()
    return afterRotation(jwt, store, presented)
  }
  // Minted before rotating, as simplejwt does: the access token keeps the presented `iat`.
  const access = jwt.accessClaimsFor(presented)
  if (!rotateRefreshTokens) return { access }
  const successor = jwt.rotatedClaims(presented)
  // Without blacklisting, simplejwt leaves rotated-out tokens valid: nothing to track.
  if (!blacklistAfterRotation) return { access, refresh: successor }
  if (await store.rotate(presented, successor)) return { access, refresh: successor }
  // Another request rotated it a moment ago: answer as it did (two tabs refreshing at once).
  return afterRotation(jwt, store, presented)
}
