import { createVerifier, TokenError as FastJwtError } from 'fast-jwt'
import type { JwtKeys } from './jwt-keys.ts'
import { TokenInvalid } from './token-errors.ts'

/** What a token's claims are judged against, besides its signature. */
export interface ClaimChecks {
  /** Clock skew tolerated on `exp` and `nbf`. */
  leewaySeconds: number
  audience?: string
  issuer?: string
}

/** The claims of a token, judged at `now` (milliseconds), or TokenInvalid. */
export type TokenVerifier = (token: string, now: number) => Record<string, unknown>

const isNumber = (value: unknown): value is number => typeof value === 'number'

/**
 * The times of a token, in whole seconds as PyJWT and jose judge them: expired at `exp` itself,
 * valid from `nbf`, `iat` a number. Judged here, not by fast-jwt: its clock is Date.now or a time
 * fixed when the verifier is made, never the service's injected clock; it accepts a token in the
 * millisecond its `exp` falls due; and it looks at `iat` only under `maxAge`.
 */
function timesHold(claims: Record<string, unknown>, nowMs: number, leeway: number): boolean {
  const now = Math.floor(nowMs / 1000)
  const { exp, nbf, iat } = claims
  // A token without `exp` would live forever; simplejwt refuses it too.
  if (!isNumber(exp) || exp <= now - leeway) return false
  if (nbf !== undefined && (!isNumber(nbf) || nbf > now + leeway)) return false
  return iat === undefined || isNumber(iat)
}

/**
 * A signature has one text: the last base64url character of a signature carries unused bits,
 * which fast-jwt (like jose) ignores, so one signed token would otherwise have several texts.
 */
function signatureIsCanonical(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1)
  return Buffer.from(signature, 'base64url').toString('base64url') === signature
}

/**
 * A verifier made once, at start: fast-jwt checks the signature synchronously with node:crypto
 * (jose checks it through WebCrypto, on the libuv thread pool, waiting behind password hashes),
 * with the algorithm pinned, and the audience and issuer when configured. Its cache stays off:
 * a verify takes a few microseconds, and a cached verdict would be timed on fast-jwt's clock.
 */
export function createTokenVerifier(keys: JwtKeys, checks: ClaimChecks): TokenVerifier {
  const { leewaySeconds, audience, issuer } = checks
  const verify = createVerifier({
    key: keys.verifying,
    // Exactly the configured algorithm: refuses `alg: none` and HS256 signed with a public key.
    algorithms: [keys.algorithm],
    complete: true,
    ignoreExpiration: true,
    ignoreNotBefore: true,
    allowedAud: audience || undefined,
    allowedIss: issuer || undefined,
    // fast-jwt checks `aud` and `iss` only when present: a token without them is refused here.
    requiredClaims: [...(audience ? ['aud'] : []), ...(issuer ? ['iss'] : [])],
  })
  return (token, now) => {
    if (!signatureIsCanonical(token)) throw new TokenInvalid()
    let verified: { header: Record<string, unknown>; payload: Record<string, unknown> }
    try {
      verified = verify(token)
    } catch (err) {
      // A malformed or forged token, or one node:crypto cannot check at all: never a 500.
      if (err instanceof FastJwtError) throw new TokenInvalid()
      throw err
    }
    // We never issue `crit`: fast-jwt refuses every extension it names, but lets an empty or
    // null `crit` through, which jose refuses as malformed.
    if ('crit' in verified.header) throw new TokenInvalid()
    if (!timesHold(verified.payload, now, leewaySeconds)) throw new TokenInvalid()
    return verified.payload
  }
}
