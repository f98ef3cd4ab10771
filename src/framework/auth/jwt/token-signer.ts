import { createSigner } from 'fast-jwt'
import type { JwtKeys } from './jwt-keys.ts'

/** Signs a token's claims: a compact JWS under `{alg, typ: "JWT"}`. */
export type TokenSigner = (claims: Record<string, unknown>) => string

/**
 * A signer made once, at start: fast-jwt signs synchronously with node:crypto (jose would sign
 * on the libuv thread pool, behind password hashes). `aud` and `iss` are added when named; the
 * claims keep their order, so a token is byte for byte what jose's SignJWT and PyJWT make.
 */
export function createTokenSigner(
  keys: JwtKeys,
  names: { audience?: string; issuer?: string },
): TokenSigner {
  // Our claims always carry `iat`, which fast-jwt then keeps as it is (it adds one only when
  // missing); `noTimestamp` stays off, as it would drop ours.
  return createSigner({
    key: keys.signing,
    algorithm: keys.algorithm,
    aud: names.audience,
    iss: names.issuer,
  })
}
