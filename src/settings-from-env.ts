import { readFileSync } from 'node:fs'
import {
  type CookieSettings,
  type CsrfSettings,
  createMailer,
  DEFAULT_MAX_UPLOAD_BYTES,
  DEFAULT_MEDIA_ROOT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SESSION_LIFETIMES,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  type JwtSettings,
  type Mailer,
  type MediaStorage,
  mediaStorage,
  parseRates,
  type Rate,
  type SessionLifetimes,
  type UploadLimits,
} from 'portcullis'
import {
  type AccountsSettings,
  accountsSettings,
  DEFAULT_DJOSER_SETTINGS,
  type DjoserSettings,
} from 'portcullis/accounts'
import { loadConfig, type ServerConfig } from './config.ts'

type Env = Record<string, string | undefined>

/** Everything the reference server is configured with, read from the environment once. */
export interface ServerSettings extends ServerConfig {
  /** WORKERS: server processes on one port (node cluster). */
  workers: number
  /** REDIS_URL: sessions and throttle counters in Redis when set. */
  redisUrl?: string
  /** REDIS_PREFIX: the start of every key, so deployments (or test runs) can share one Redis. */
  redisPrefix: string
  /** REQUEST_TIMEOUT_MS: the longest a client may take to send a whole request. */
  requestTimeoutMs: number
  /** SECURE_HSTS_SECONDS: Strict-Transport-Security's max-age; 0 sends none. */
  hstsSeconds: number
  /** TRUSTED_PROXIES: whose X-Forwarded-For is believed (addresses or CIDRs). */
  trustedProxies?: string[]
  /** ALLOWED_HOSTS (Django's); empty: local names only. */
  allowedHosts: string[]
  /** CORS_ORIGINS: the origins scripts may call from. */
  corsOrigins: string[]
  /** THROTTLE_RATES: rates by scope. */
  throttleRates: Record<string, Rate>
  /** DATA_UPLOAD_MAX_NUMBER_FIELDS: fields per form or keys per JSON body. */
  maxFields?: number
  /** MAX_UPLOAD_BYTES: the largest file accepted. */
  uploads: UploadLimits
  /** MEDIA_ROOT: where uploads are stored. */
  media: MediaStorage
  /** SESSION_COOKIE_AGE and SESSION_IDLE_SECONDS. */
  sessions: SessionLifetimes
  /** SimpleJWT's settings (JWT_*, ROTATE_REFRESH_TOKENS…), keyed with SECRET_KEY for HS256. */
  jwt: JwtSettings
  /** CSRF_TRUSTED_ORIGINS. */
  csrf: CsrfSettings
  /** SECURE_COOKIES=1: auth cookies Secure behind a TLS-terminating proxy. */
  cookies: CookieSettings
  /** EMAIL_BACKEND and its settings: where mail goes. */
  mailer: Mailer
  /** TOKEN_TTL, djoser's settings, LOGIN_REDIRECT_URL, avatar uploads. */
  accounts: AccountsSettings
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

// A whole number of at least 1, or undefined when unset; anything else stops the start.
function positive(env: Env, name: string, unit: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new Error(`${name} must be a positive number${unit}, got "${raw}"`)
  }
  return Number(raw)
}

/** SESSION_COOKIE_AGE (default two weeks) and SESSION_IDLE_SECONDS (default none). */
export function sessionLifetimesFromEnv(env: Env): SessionLifetimes {
  const maxAge = Number(env.SESSION_COOKIE_AGE ?? DEFAULT_SESSION_LIFETIMES.maxAgeSeconds)
  const idle = Number(env.SESSION_IDLE_SECONDS ?? 0)
  return {
    maxAgeSeconds:
      Number.isFinite(maxAge) && maxAge > 0 ? maxAge : DEFAULT_SESSION_LIFETIMES.maxAgeSeconds,
    idleSeconds: Number.isFinite(idle) && idle > 0 ? idle : 0,
  }
}

function seconds(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be a whole number of seconds (at least ${min}), got "${raw}"`)
  }
  return n
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (raw === '1' || raw === '0') return raw === '1'
  throw new Error(`${name} must be 1 or 0, got "${raw}"`)
}

function pemFile(env: Env, name: string): string | undefined {
  const path = env[name]
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new Error(`${name}: cannot read "${path}" (${(err as Error).message})`)
  }
}

/**
 * The JWT settings; `secretKey` (the server's SECRET_KEY) is the HS256 key. A bad value stops
 * the start with a message naming the variable.
 */
export function jwtSettingsFromEnv(env: Env, secretKey: string): JwtSettings {
  const algorithm = (env.JWT_ALGORITHM || 'HS256') as JwtAlgorithm
  if (!JWT_ALGORITHMS.includes(algorithm)) {
    throw new Error(`JWT_ALGORITHM must be one of ${JWT_ALGORITHMS.join(', ')}, got "${algorithm}"`)
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

/** MAX_UPLOAD_BYTES (default 2097152); a malformed value stops the start. */
export function uploadLimitsFromEnv(env: Env): UploadLimits {
  return { maxBytes: positive(env, 'MAX_UPLOAD_BYTES', ' of bytes') ?? DEFAULT_MAX_UPLOAD_BYTES }
}

/**
 * The mailer, as Django's EMAIL_BACKEND: `console` (the default), `file` (`.eml` files in
 * EMAIL_FILE_PATH, default `data/emails`) or `smtp` (EMAIL_URL, e.g. `smtp://user:pass@host:587`);
 * every message is from DEFAULT_FROM_EMAIL (`webmaster@localhost`).
 */
export function mailerFromEnv(env: Env): Mailer {
  const from = env.DEFAULT_FROM_EMAIL || 'webmaster@localhost'
  const backend = env.EMAIL_BACKEND || 'console'
  switch (backend) {
    case 'console':
      return createMailer({ backend, from })
    case 'file':
      return createMailer({ backend, from, directory: env.EMAIL_FILE_PATH || 'data/emails' })
    case 'smtp':
      if (!env.EMAIL_URL)
        throw new Error('EMAIL_BACKEND=smtp needs EMAIL_URL, e.g. smtp://user:pass@host:587')
      return createMailer({ backend, from, url: env.EMAIL_URL })
    default:
      throw new Error(`EMAIL_BACKEND must be console, file or smtp, got "${backend}"`)
  }
}

const TRUE = /^(1|true|yes|on)$/i

/** djoser's settings: SEND_ACTIVATION_EMAIL, PASSWORD_CHANGED_EMAIL_CONFIRMATION, … SITE_NAME. */
export function djoserSettingsFromEnv(env: Env): DjoserSettings {
  const timeout = Number(env.PASSWORD_RESET_TIMEOUT)
  return {
    sendActivationEmail: TRUE.test(env.SEND_ACTIVATION_EMAIL ?? ''),
    passwordChangedEmailConfirmation: TRUE.test(env.PASSWORD_CHANGED_EMAIL_CONFIRMATION ?? ''),
    tokenTimeoutSeconds:
      env.PASSWORD_RESET_TIMEOUT && Number.isInteger(timeout) && timeout > 0
        ? timeout
        : DEFAULT_DJOSER_SETTINGS.tokenTimeoutSeconds,
    domain: env.DOMAIN ?? '',
    siteName: env.SITE_NAME || DEFAULT_DJOSER_SETTINGS.siteName,
  }
}

// TOKEN_TTL (seconds; TOKEN_TTL_SECONDS is read too): the lifetime of tokens minted at login.
function tokenTtlFromEnv(env: Env): number | null {
  const ttl = Number(env.TOKEN_TTL ?? env.TOKEN_TTL_SECONDS)
  return Number.isFinite(ttl) && ttl > 0 ? ttl : null
}

function workersFromEnv(env: Env): number {
  const workers = Number(env.WORKERS ?? 1)
  if (!Number.isInteger(workers) || workers < 1) {
    throw new Error(`WORKERS must be a whole number of processes, got "${env.WORKERS}"`)
  }
  return workers
}

/**
 * The reference server's settings from an environment (`process.env` when started): read once,
 * each bad value stopping the start with one line naming its variable.
 */
export function serverSettingsFromEnv(env: Env = process.env): ServerSettings {
  const workers = workersFromEnv(env)
  const config = loadConfig(env)
  const trustedProxies = list(env, 'TRUSTED_PROXIES')
  const uploads = uploadLimitsFromEnv(env)
  const media = mediaStorage(env.MEDIA_ROOT || DEFAULT_MEDIA_ROOT)
  return {
    ...config,
    workers,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX ?? 'portcullis:',
    requestTimeoutMs:
      positive(env, 'REQUEST_TIMEOUT_MS', ' of milliseconds') ?? DEFAULT_REQUEST_TIMEOUT_MS,
    hstsSeconds: Number(env.SECURE_HSTS_SECONDS) || 0,
    trustedProxies: trustedProxies.length ? trustedProxies : undefined,
    allowedHosts: list(env, 'ALLOWED_HOSTS'),
    corsOrigins: list(env, 'CORS_ORIGINS'),
    throttleRates: parseRates(env.THROTTLE_RATES),
    maxFields: positive(env, 'DATA_UPLOAD_MAX_NUMBER_FIELDS', ''),
    uploads,
    media,
    sessions: sessionLifetimesFromEnv(env),
    jwt: jwtSettingsFromEnv(env, config.secretKey),
    csrf: { trustedOrigins: (env.CSRF_TRUSTED_ORIGINS ?? '').split(',').filter(Boolean) },
    cookies: { secure: env.SECURE_COOKIES === '1' },
    mailer: mailerFromEnv(env),
    accounts: accountsSettings({
      tokenTtlSeconds: tokenTtlFromEnv(env),
      djoser: djoserSettingsFromEnv(env),
      // The reference server lands on its bucketlists; the library's default is `/`.
      loginRedirectUrl: env.LOGIN_REDIRECT_URL ?? '/bucketlists/',
      uploads,
      media,
    }),
  }
}
