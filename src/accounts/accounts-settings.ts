import type { MediaStorage } from '../framework/files/media-storage.ts'
import { DEFAULT_MAX_UPLOAD_BYTES, type UploadLimits } from '../framework/files/read-upload.ts'
import { SetupError } from '../framework/setup-errors.ts'
import { DEFAULT_DJOSER_SETTINGS, type DjoserSettings } from './djoser/djoser-settings.ts'
import type { JwtClaimsHook } from './jwt/custom-claims.ts'

/** What the accounts endpoints do: the `accounts` plugin's options, read once at start. */
export interface AccountsSettings {
  /** The lifetime of tokens minted at login, in seconds; null: until logged out. */
  tokenTtlSeconds: number | null
  /**
   * How many live tokens a user may hold (knox's TOKEN_LIMIT_PER_USER): a login beyond it is
   * refused with 403 until a token expires or is revoked; null: no limit.
   */
  tokenLimitPerUser: number | null
  /**
   * Claims added to each new JWT pair at `token/` (simplejwt's `get_token` override), copied by
   * refresh and rotation; token_type, exp, iat, jti and user_id are the token's own and ignored.
   */
  jwtClaims?: JwtClaimsHook
  /** Activation and confirmation mails, how long mailed links work, the site they name. */
  djoser: DjoserSettings
  /** Where the login page sends a user whose `next` is missing or unsafe (Django's LOGIN_REDIRECT_URL). */
  loginRedirectUrl: string
  /**
   * Whether the login pages' `logout/` also logs out on GET, as Django before 5.0 did; by default
   * only a POST with the CSRF token logs out and GET answers 405, as current Django: a link or an
   * image on another site must not end the session.
   */
  logoutOnGet: boolean
  /** The size cap of an avatar upload. */
  uploads: UploadLimits
  /**
   * Where avatars are stored, served under `/media/` by the portcullis plugin only when it is
   * that plugin's `media` too (default: that plugin's `media`).
   */
  media?: MediaStorage
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The settings of the `accounts` plugin that registered the route. */
    accountsSettings: AccountsSettings
  }
}

/** Accounts settings as given: any of them, and any of djoser's (the rest take their defaults). */
export interface AccountsSettingsInput extends Partial<Omit<AccountsSettings, 'djoser'>> {
  djoser?: Partial<DjoserSettings>
}

/**
 * The settings with a default for each one not given: tokens until logout and no limit of them,
 * djoser's defaults, `/` after login, logout by POST only, 2 MiB avatars (stored in the portcullis plugin's `media`).
 * A bad value stops the start.
 */
export function accountsSettings(given: AccountsSettingsInput = {}): AccountsSettings {
  const settings: AccountsSettings = {
    tokenTtlSeconds: given.tokenTtlSeconds ?? null,
    tokenLimitPerUser: given.tokenLimitPerUser ?? null,
    djoser: { ...DEFAULT_DJOSER_SETTINGS, ...given.djoser },
    loginRedirectUrl: given.loginRedirectUrl ?? '/',
    logoutOnGet: given.logoutOnGet ?? false,
    uploads: given.uploads ?? { maxBytes: DEFAULT_MAX_UPLOAD_BYTES },
    media: given.media,
    jwtClaims: given.jwtClaims,
  }
  const ttl = settings.tokenTtlSeconds
  if (ttl !== null && !(Number.isFinite(ttl) && ttl > 0)) {
    throw new Error(`accounts: tokenTtlSeconds must be a positive number or null, got ${ttl}`)
  }
  const limit = settings.tokenLimitPerUser
  if (limit !== null && !(Number.isSafeInteger(limit) && limit > 0)) {
    throw new SetupError('ERR_ACCOUNTS_TOKEN_LIMIT', String(limit))
  }
  if (settings.jwtClaims !== undefined && typeof settings.jwtClaims !== 'function') {
    throw new SetupError('ERR_ACCOUNTS_JWT_CLAIMS', String(settings.jwtClaims))
  }
  return settings
}
