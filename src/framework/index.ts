/** Portcullis: DRF's authentication and authorization model on Fastify. */
import './request.ts'

export type { AccessPolicy, ResolvedAccess } from './access.ts'
export { BasicScheme } from './auth/basic-scheme.ts'
export { type CookieSettings, cookieOptions } from './auth/cookie-options.ts'
export {
  CSRF_COOKIE,
  CSRF_FIELD,
  CSRF_HEADER,
  type CsrfSettings,
  csrfToken,
  enforceCsrf,
  rotateCsrfToken,
} from './auth/csrf.ts'
export * from './auth/jwt/index.ts'
export { InvalidToken, JwtAuthenticationFailed, type TokenMessage } from './auth/jwt-errors.ts'
export { JWT_ACCESS_COOKIE, JwtScheme } from './auth/jwt-scheme.ts'
export { type PasswordHasher, passwordHasher, verifyDummy } from './auth/password-hasher.ts'
export { redisSessionStore } from './auth/redis-session-store.ts'
export type { Authenticated, AuthScheme } from './auth/scheme.ts'
export { hashSessionKey, newSessionId, newSessionKey } from './auth/session-key.ts'
export { endSession, SESSION_COOKIE, SessionScheme, startSession } from './auth/session-scheme.ts'
export {
  DEFAULT_SESSION_LIFETIMES,
  isExpired,
  LAST_SEEN_RESOLUTION_MS,
  type NewSession,
  type SessionLifetimes,
  type SessionRecord,
  type SessionStore,
} from './auth/session-store.ts'
export { TokenScheme, type TokenSchemeOptions, tokenScheme } from './auth/token-scheme.ts'
export type { AuthUser, UserBackend } from './auth/user.ts'
export type { UserStore, UserStoreContext, UsersProvider } from './auth/user-store.ts'
export { requestData } from './body.ts'
export { type Database, DEFAULT_SQLITE_PATH, isPostgresUrl, openDatabase } from './db/database.ts'
export { columnTypes, isPostgres } from './db/dialect.ts'
export { literalLimit } from './db/literal-limit.ts'
export { type MigrationState, type Migrations, migrate, migrationStates } from './db/migrate.ts'
export type { Tables } from './db/tables.ts'
export { type UniqueViolation, uniqueViolation } from './db/unique-violation.ts'
export * from './errors.ts'
export * from './files/index.ts'
export { DRAIN_DEADLINE_MS, drainOnClose, stopAccepting } from './graceful-close.ts'
export { createMailer, type Mail, type Mailer, type MailSettings } from './mail/mailer.ts'
export * from './openapi/index.ts'
export * from './permissions/index.ts'
export * from './permissions/roles/index.ts'
export { checkObjectPermissions, installPipeline, type PipelineOptions } from './pipeline.ts'
export * from './plugin/index.ts'
export { defineConfig, type PortcullisConfig } from './project-config.ts'
export { reachable } from './reachable.ts'
export {
  openRedis,
  type RedisConnection,
  type RedisConnectionOptions,
} from './redis/redis-client.ts'
export type { RedisCommands, RedisTransaction } from './redis/redis-commands.ts'
export {
  AllowedHosts,
  DisallowedHost,
  installAllowedHosts,
  LOCAL_HOSTS,
} from './render/allowed-hosts.ts'
export type { ExceptionHandler } from './render/exception-handler.ts'
export { absoluteUrl } from './resources/absolute-url.ts'
export { apiRootRoute } from './resources/api-root-route.ts'
export type {
  FieldFilter,
  FilterFields,
  FilterLookup,
} from './resources/field-filters/field-filters.ts'
export type { FilterKind } from './resources/field-filters/filter-value.ts'
export { filterMethod, type MethodFilter } from './resources/field-filters/method-filter.ts'
export type { Related, Scope, ScopeValue, Scoping } from './resources/list-plan.ts'
export { listsOnly } from './resources/lists-only.ts'
export type { NestOptions } from './resources/nesting.ts'
export {
  type ObjectAction,
  type ObjectViewset,
  type ObjectViewsetDefinition,
  objectViewset,
} from './resources/object-viewset.ts'
export { paginate } from './resources/paginate.ts'
export {
  DEFAULT_PAGINATION,
  type Page,
  type PageRequest,
  type PaginationOptions,
  pageAt,
  pageEnvelope,
  pageQuery,
  pageRequest,
  pageSchema,
} from './resources/pagination.ts'
export { type CursorOptions, cursorPagination } from './resources/paginators/cursor.ts'
export {
  type LimitOffsetOptions,
  limitOffsetPagination,
} from './resources/paginators/limit-offset.ts'
export { pageNumberPagination } from './resources/paginators/page-number.ts'
export type {
  ListQuery,
  PageOf,
  PaginatedView,
  Pagination,
  Paginator,
  RowWindow,
} from './resources/paginators/paginator.ts'
export { queryParam } from './resources/query-param.ts'
export { type MountOptions, Router } from './resources/router.ts'
export type { View } from './resources/view.ts'
export {
  type ActionContext,
  type ActionDocs,
  type ActionPolicies,
  action,
  type CustomAction,
  type GenericAction,
  type RowQuery,
  type SavedRow,
  type SaveRow,
  type SaveValues,
  type ViewsetDefinition,
  viewset,
} from './resources/viewset.ts'
export { viewsetRoutes } from './resources/viewset-routes.ts'
export * from './schema/index.ts'
export { SetupError, type SetupErrorCode, SetupErrors } from './setup-errors.ts'
export * from './throttling/index.ts'
