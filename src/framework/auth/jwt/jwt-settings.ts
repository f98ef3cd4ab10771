import { readFileSync } from 'node:fs'

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

const ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'RS256', 'ES256']

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be a whole number of seconds (at least ${min}), got "${raw}"`)
  }
  return n
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (raw === '1' || raw === '0') return raw === '1'
  throw new Error(`${name} must be 1 or 0, got "${raw}"`)
}

function pemFile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const path = env[name]
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new Error(`${name}: cannot read "${path}" (${(err as Error).message})`)
  }
}

/**
 * The JWT settings from the environment, read once at start; `secretKey` (the server's
 * SECRET_KEY) is the HS256 key. A bad value stops the start with a message naming the variable.
 */
export function jwtSettingsFromEnv(env: NodeJS.ProcessEnv, secretKey: string): JwtSettings {
  const algorithm = (env.JWT_ALGORITHM || 'HS256') as JwtAlgorithm
  if (!ALGORITHMS.includes(algorithm)) {
    throw new Error(`JWT_ALGORITHM must be one of ${ALGORITHMS.join(', ')}, got "${algorithm}"`)
  }
  const signingKey = algorithm === 'HS256' ? secretKey : pemFile(env, 'JWT_SIGNING_KEY_FILE')
  if (!signingKey) {
    throw new Error(`JWT_ALGORITHM=${algorithm} needs JWT_SIGNING_KEY_FILE (a PEM private key)`)
  }
  return {
    algorithm,
    signingKey,
    verifyingKey: algorithm === 'HS256' ? undefined : pemFile(env, 'JWT_VERIFYING_KEY_FILE'),
    accessLifetimeSeconds: seconds(env, 'JWT_ACCESS_SECONDS', 300, 1),
    refreshLifetimeSeconds: seconds(env, 'JWT_REFRESH_SECONDS', 86_400, 1),
    leewaySeconds: seconds(env, 'JWT_LEEWAY_SECONDS', 0, 0),
    audience: env.JWT_AUDIENCE || undefined,
    issuer: env.JWT_ISSUER || undefined,
    rotateRefreshTokens: flag(env, 'ROTATE_REFRESH_TOKENS', false),
    blacklistAfterRotation: flag(env, 'BLACKLIST_AFTER_ROTATION', true),
    refreshGraceSeconds: seconds(env, 'REFRESH_GRACE_SECONDS', 10, 0),
    updateLastLogin: flag(env, 'JWT_UPDATE_LAST_LOGIN', false),
    authCookie: flag(env, 'JWT_AUTH_COOKIE', false),
  }
}
