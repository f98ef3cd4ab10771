import type { FastifyInstance } from 'fastify'
import {
  DEFAULT_MEDIA_ROOT,
  type MediaStorage,
  mediaStorage,
} from '../framework/files/media-storage.ts'
import { DEFAULT_MAX_UPLOAD_BYTES, type UploadLimits } from '../framework/files/read-upload.ts'
import { DEFAULT_DJOSER_SETTINGS, type DjoserSettings } from './djoser/djoser-settings.ts'

/** What the accounts endpoints do, given once to `accountsRoutes`. */
export interface AccountsSettings {
  /** The lifetime of tokens minted at login, in seconds; null: until logged out. */
  tokenTtlSeconds: number | null
  /** Activation and confirmation mails, how long mailed links work, the site they name. */
  djoser: DjoserSettings
  /** Where the login page sends a user whose `next` is missing or unsafe (Django's LOGIN_REDIRECT_URL). */
  loginRedirectUrl: string
  /** The size cap of an avatar upload. */
  uploads: UploadLimits
  /** Where avatars are stored (served by `mediaRoutes` over the same storage). */
  media: MediaStorage
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The accounts settings given to `accountsRoutes`. */
    accountsSettings: AccountsSettings
  }
}

/**
 * The settings with a default for each one not given: tokens until logout, djoser's defaults,
 * `/` after login, 2 MiB avatars stored under `data/media`. A bad value
 * stops the start.
 */
export function accountsSettings(given: Partial<AccountsSettings> = {}): AccountsSettings {
  const settings: AccountsSettings = {
    tokenTtlSeconds: given.tokenTtlSeconds ?? null,
    djoser: { ...DEFAULT_DJOSER_SETTINGS, ...given.djoser },
    loginRedirectUrl: given.loginRedirectUrl ?? '/',
    uploads: given.uploads ?? { maxBytes: DEFAULT_MAX_UPLOAD_BYTES },
    media: given.media ?? mediaStorage(DEFAULT_MEDIA_ROOT),
  }
  const ttl = settings.tokenTtlSeconds
  if (ttl !== null && !(Number.isFinite(ttl) && ttl > 0)) {
    throw new Error(`accounts: tokenTtlSeconds must be a positive number or null, got ${ttl}`)
  }
  return settings
}

/** Give the accounts endpoints their settings; they read them from `request.server`. */
export function installAccountsSettings(app: FastifyInstance, given: Partial<AccountsSettings>) {
  app.decorate('accountsSettings', accountsSettings(given))
}
