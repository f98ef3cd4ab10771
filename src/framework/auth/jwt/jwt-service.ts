import { holdsNul } from '../../db/storable-text.ts'
import {
  epochSeconds,
  type JwtClaims,
  newJti,
  type TokenType,
  type UntypedClaims,
} from './claims.ts'
import { importJwtKeys } from './jwt-keys.ts'
import { JWT_DEFAULTS, type JwtSettings } from './jwt-settings.ts'
import { TokenInvalid, TokenWrongType } from './token-errors.ts'
import { createTokenSigner, type TokenSigner } from './token-signer.ts'
import { createTokenVerifier, type TokenVerifier } from './token-verifier.ts'

/** What `JwtService.create` takes: a key, and any settings that differ from the defaults. */
export type JwtServiceOptions = Partial<JwtSettings> & Pick<JwtSettings, 'signingKey'>

// Claims an access token never inherits from its refresh token (simplejwt's no_copy_claims).
const NO_COPY = new Set(['token_type', 'exp', 'jti'])
// The column that stores a jti holds 255 characters, as simplejwt's OutstandingToken.jti.
const MAX_JTI_LENGTH = 255

/** Keys whose pair does not match would refuse every token: find out at start, not per request. */
function checkKeyPair(signer: TokenSigner, verifier: TokenVerifier) {
  const now = Date.now()
  const probe = signer({ exp: epochSeconds(now) + 60, iat: epochSeconds(now) })
  try {
    verifier(probe, now)
  } catch {
    throw new Error('JWT_VERIFYING_KEY_FILE is not the public half of JWT_SIGNING_KEY_FILE')
  }
}

/**
 * Mints and checks simplejwt-compatible tokens with keys imported once. No HTTP, no database:
 * failures are TokenErrors, and the clock is injected so tests can move time.
 */
export class JwtService {
  private constructor(
    /** The settings in force, defaults filled in. */
    readonly settings: JwtSettings,
    private readonly signer: TokenSigner,
    private readonly verifier: TokenVerifier,
    private readonly clock: () => number,
  ) {}

  /** A service for these settings; `now` returns milliseconds, as Date.now. */
  static async create(options: JwtServiceOptions, now: () => number = Date.now) {
    const settings: JwtSettings = { ...JWT_DEFAULTS, ...options }
    const keys = await importJwtKeys(settings)
    const signer = createTokenSigner(keys, settings)
    const verifier = createTokenVerifier(keys, settings)
    if (keys.algorithm !== 'HS256') checkKeyPair(signer, verifier)
    return new JwtService(settings, signer, verifier, now)
  }

  /** The service's clock, in milliseconds: everything that times tokens reads this one. */
  now(): number {
    return this.clock()
  }

  /** The claims of a new refresh token for a user (simplejwt's RefreshToken.for_user). */
  newRefreshClaims(userId: string): JwtClaims {
    const iat = epochSeconds(this.clock())
    const exp = iat + this.settings.refreshLifetimeSeconds
    return { token_type: 'refresh', exp, iat, jti: newJti(), user_id: userId }
  }

  /**
   * The claims of an access token minted from a refresh token (simplejwt's
   * `refresh.access_token`): a new jti and expiry, every other claim copied, `iat` included,
   * as simplejwt 5.2 does (the anchor's access tokens carry their refresh token's `iat`).
   */
  accessClaimsFor(refresh: JwtClaims): JwtClaims {
    const now = epochSeconds(this.clock())
    const access: JwtClaims = {
      token_type: 'access',
      exp: now + this.settings.accessLifetimeSeconds,
      iat: now,
      jti: newJti(),
      user_id: refresh.user_id,
    }
    for (const [claim, value] of Object.entries(refresh)) {
      if (!NO_COPY.has(claim)) access[claim] = value
    }
    return access
  }

  /** A rotated refresh token's claims: same user, new jti, `iat` now and a full lifetime again. */
  rotatedClaims(refresh: JwtClaims): JwtClaims {
    const iat = epochSeconds(this.clock())
    return { ...refresh, exp: iat + this.settings.refreshLifetimeSeconds, iat, jti: newJti() }
  }

  /** Sign claims (header `{alg, typ: "JWT"}`), adding `aud` and `iss` when configured. */
  async sign(claims: JwtClaims): Promise<string> {
    return this.signer(claims)
  }

  /** Check a token's signature, times, audience, issuer and id, whatever its type. */
  async verifyUntyped(token: string): Promise<UntypedClaims> {
    const payload = this.verifier(token, this.clock())
    const { jti } = payload
    // The blacklist is looked up by jti: one it could not hold is no id of a token we minted.
    if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH || holdsNul(jti)) {
      throw new TokenInvalid('Token has no id')
    }
    return payload as UntypedClaims
  }

  /** Check a token as `verifyUntyped` does, and that it is of `type` and names a user. */
  async verify(token: string, type: TokenType): Promise<JwtClaims> {
    const claims = await this.verifyUntyped(token)
    if (claims.token_type === undefined) throw new TokenInvalid('Token has no type')
    if (claims.token_type !== type) throw new TokenWrongType()
    // Every token we mint has both; a signed token without them is not one of ours.
    if (typeof claims.iat !== 'number' || typeof claims.user_id !== 'string') {
      throw new TokenInvalid()
    }
    return claims as JwtClaims
  }
}
