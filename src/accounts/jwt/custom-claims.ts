import type { JwtClaims } from '../../framework/auth/jwt/claims.ts'
import type { User } from '../user.ts'

/**
 * Claims to add to a user's new token pair (simplejwt's `TokenObtainPairSerializer.get_token`
 * override): called once per login at `token/`; the refresh token carries them, and every access
 * token and rotated refresh token minted from it copies them, as in simplejwt.
 */
export type JwtClaimsHook = (
  user: User,
) => Record<string, unknown> | Promise<Record<string, unknown>>

// Claims each token sets itself and verification relies on: a hook's value for one is ignored,
// so no hook can mint a token for another user, or one that never expires.
const RESERVED = new Set(['token_type', 'exp', 'iat', 'jti', 'user_id'])

/** `claims` with the hook's claims added after them, the reserved ones left as they were. */
export async function withCustomClaims(
  claims: JwtClaims,
  user: User,
  hook: JwtClaimsHook | undefined,
): Promise<JwtClaims> {
  if (!hook) return claims
  const extra = await hook(user)
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new TypeError(`accounts jwtClaims(user) returned ${extra}; return an object of claims`)
  }
  const merged: JwtClaims = { ...claims }
  for (const [name, value] of Object.entries(extra)) {
    if (!RESERVED.has(name)) merged[name] = value
  }
  return merged
}
