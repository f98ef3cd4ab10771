import { randomUUID } from 'node:crypto'

/** The two kinds of token simplejwt mints, named by the `token_type` claim. */
export type TokenType = 'access' | 'refresh'

/**
 * A token's payload, in simplejwt's claim order: `token_type`, `exp`, `iat` (both in whole
 * seconds), `jti`, `user_id`; `aud` and `iss` are added when signing if the service names them.
 */
export interface JwtClaims {
  token_type: TokenType
  exp: number
  iat: number
  jti: string
  user_id: string
  [claim: string]: unknown
}

/** A token checked without regard to its type (simplejwt's UntypedToken, for /verify/). */
export interface UntypedClaims {
  exp: number
  jti: string
  [claim: string]: unknown
}

/** A new token id: a UUID4 as 32 hex characters, as simplejwt's `uuid4().hex`. */
export function newJti(): string {
  return randomUUID().replaceAll('-', '')
}

/** Whole seconds since the epoch for a millisecond clock reading. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000)
}
