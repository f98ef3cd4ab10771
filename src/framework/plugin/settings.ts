import type { AccessPolicy } from '../access.ts'
import type { CookieSettings } from '../auth/cookie-options.ts'
import type { CsrfSettings } from '../auth/csrf.ts'
import type { JwtSettings } from '../auth/jwt/jwt-settings.ts'
import type { SessionLifetimes } from '../auth/session-store.ts'
import type { UsersProvider } from '../auth/user-store.ts'
import type { BodyLimits } from '../body.ts'
import type { Database } from '../db/database.ts'
import type { UnreadBodyBounds } from '../drain-unread-bodies.ts'
import type { MediaStorage } from '../files/media-storage.ts'
import type { Mailer, MailSettings } from '../mail/mailer.ts'
import type { OpenApiInfo } from '../openapi/document.ts'
import type { RedisClient } from '../redis/redis-commands.ts'
import type { BrowsableOptions } from '../render/browsable/install.ts'
import type { ExceptionHandler } from '../render/exception-handler.ts'
import type { Rate } from '../throttling/rate.ts'

/**
 * Everything the `portcullis` plugin takes (DRF's settings module, typed). Only `database` and
 * `secretKey` are required; every other setting has the default its comment names.
 */
export interface PortcullisSettings {
  /**
   * The database: a SQLite file path, `sqlite::memory:`, or a `postgres://` URL, or a function
   * that opens one (a config module's `database`): the plugin opens it, checks it answers and
   * closes it with the server. Or a Kysely instance from `openDatabase`, which stays yours to close.
   */
  database: string | (() => Database) | Database
  /** Signs CSRF tokens, mailed links and HS256 JWTs: long, random and secret (Django's SECRET_KEY). */
  secretKey: string
  /**
   * Where users, their permissions and (without Redis) sessions come from: `accountsUsers()` of
   * `portcullis/accounts`, or a store of your own. Without it no built-in scheme can be used.
   */
  users?: UsersProvider
  /**
   * Redis, for sessions and throttle counts shared by every process: a `redis://` URL (opened,
   * checked and closed by the plugin; needs the "ioredis" package) or a client you opened.
   */
  redis?: string | RedisClient
  /** The start of every Redis key, so deployments can share one Redis (default `portcullis:`). */
  redisPrefix?: string
  /**
   * DRF's DEFAULT_AUTHENTICATION_CLASSES, DEFAULT_PERMISSION_CLASSES and DEFAULT_THROTTLE_CLASSES,
   * which a route's `config` overrides. Default: session then Basic when `users` is given (none
   * otherwise), IsAuthenticated, no throttles.
   */
  defaults?: AccessPolicy
  /** DEFAULT_THROTTLE_RATES by scope: `{ anon: '100/day', login: '5/min' }` (default: none). */
  throttleRates?: Record<string, Rate | string>
  /** SESSION_COOKIE_AGE (two weeks) and an idle timeout (none). */
  sessions?: Partial<SessionLifetimes>
  /** SimpleJWT's settings; the signing key defaults to `secretKey` for HS256. */
  jwt?: Partial<JwtSettings>
  /** Where mail goes (Django's EMAIL_BACKEND): a mailer, or `createMailer`'s settings (default: each message's text on the console). */
  mail?: Mailer | MailSettings
  /** Django's ALLOWED_HOSTS (default: `localhost`, `127.0.0.1`, `[::1]`). */
  allowedHosts?: string[]
  /** Origins whose scripts may call the API (CORS; default: none). */
  corsOrigins?: string[]
  /** CSRF_TRUSTED_ORIGINS. */
  csrf?: Partial<CsrfSettings>
  /** Auth cookies Secure on every request, for a server behind a TLS-terminating proxy. */
  cookies?: Partial<CookieSettings>
  /** Strict-Transport-Security's max-age in seconds (default 0: none sent). */
  hstsSeconds?: number
  /** Fields per body (1000) and the largest uploaded file (2 MiB). */
  body?: Partial<BodyLimits>
  /** The browsable API: its site name and login/logout URLs; `false` answers JSON only. */
  browsable?: BrowsableOptions | false
  /**
   * `/openapi.json` (default: on), and with `docs: true` the `/docs` page (needs the optional
   * "@scalar/fastify-api-reference" package); `false`: neither.
   */
  openapi?: (Partial<OpenApiInfo> & { docs?: boolean }) | false
  /** `GET /health`: whether the database (and Redis) answers (default: off). */
  health?: boolean
  /** Where uploaded files are kept (a folder, or a storage), served under `/media/` (default: none). */
  media?: string | MediaStorage
  /** How much of a refused request's unread body is read before the answer (8 MiB, 10 s). */
  unreadBody?: UnreadBodyBounds
  /**
   * DRF's EXCEPTION_HANDLER: `(error, body, request) => body`, the body of every error answer
   * (validation, 404, 405, 401/403/429 refusals, parse errors, 500) from the error (`status`,
   * `code`, `message`) and DRF's body; status and headers stay the error's. Default: DRF's bodies.
   */
  exceptionHandler?: ExceptionHandler
  /** The clock throttles count with (tests inject one). */
  now?: () => number
}
