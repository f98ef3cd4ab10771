/** The signing algorithms offered: an HMAC with the server's secret, or a key pair. */
export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256'

/** simplejwt's SIMPLE_JWT settings that Portcullis honours (plus the grace window and cookies). */
export interface JwtSettings {
  algorithm: JwtAlgorithm
  /** The HMAC secret (HS256) or a PEM private key (RS256, ES256). */
  signingKey: string
  /** A PEM public key; for a key pair, derived from the private key when absent. */
  verifyingKey?: string
  accessLifetimeSeconds: number
  refreshLifetimeSeconds: number
  /** Clock skew tolerated on `exp` and `nbf`. */
  leewaySeconds: number
  audience?: string
  issuer?: string
  /** `/api/token/refresh/` also returns a new refresh token. */
  rotateRefreshTokens: boolean
  /** A rotated-out refresh token is blacklisted (and its family tracked for replays). */
  blacklistAfterRotation: boolean
  /** How long a rotated-out refresh token still answers as valid (two tabs refreshing at once). */
  refreshGraceSeconds: number
  /** `/api/token/` records `last_login`. */
  updateLastLogin: boolean
  /** Tokens also travel in HttpOnly cookies (dj-rest-auth's JWT_AUTH_COOKIE). */
  authCookie: boolean
}

/** Everything but the key, at simplejwt's defaults (5 minutes, 1 day, no leeway). */
export const JWT_DEFAULTS: Omit<JwtSettings, 'signingKey'> = {
  algorithm: 'HS256',
  accessLifetimeSeconds: 300,
  refreshLifetimeSeconds: 86_400,
  leewaySeconds: 0,
  rotateRefreshTokens: false,
  blacklistAfterRotation: true,
  refreshGraceSeconds: 10,
  updateLastLogin: false,
  authCookie: false,
}

/** The algorithms JwtSettings accepts. */
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'RS256', 'ES256']
