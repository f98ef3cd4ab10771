export { type AccountsOptions, accounts } from './accounts-plugin.ts'
export {
  type AccountsSettings,
  type AccountsSettingsInput,
  accountsSettings,
} from './accounts-settings.ts'
export { accountsUsers } from './accounts-users.ts'
export { endOtherCredentials } from './credentials/end-other-credentials.ts'
export {
  checkToken,
  decodeUid,
  encodeUid,
  makeToken,
  type TokenPurpose,
} from './credentials/one-time-token.ts'
// The accounts app's tables: exporting them also brings their `Tables` declarations into a
// consumer's program, so `db.selectFrom('profiles')` is typed wherever `portcullis/accounts` is.
export type { CredentialRevocationsTable } from './credentials/tables.ts'
export { DEFAULT_DJOSER_SETTINGS, type DjoserSettings } from './djoser/djoser-settings.ts'
export type { JwtClaimsHook } from './jwt/custom-claims.ts'
export type { JwtBlacklistTable, JwtRefreshFamiliesTable } from './jwt/tables.ts'
export { logInWithSession } from './log-in-with-session.ts'
export { LOGIN_THROTTLES } from './login-throttle.ts'
export { accountsMigrations } from './migrations/index.ts'
export {
  addMember,
  grant,
  grantsOf,
  type Holder,
  removeMember,
  revoke,
} from './permissions/grants.ts'
export { grantOnObject, type ObjectGrant, revokeOnObject } from './permissions/object-grants.ts'
export { accountsPermissionBackend } from './permissions/permission-backend.ts'
export { GroupSchema, groupViewset } from './permissions/routes/groups.ts'
export {
  ObjectPermissionSchema,
  objectPermissionViewset,
} from './permissions/routes/object-permissions.ts'
export type {
  AuthGroupPermissionsTable,
  AuthGroupsTable,
  AuthObjectPermissionsTable,
  AuthUserGroupsTable,
  AuthUserPermissionsTable,
} from './permissions/tables.ts'
export { AVATAR_IMAGE } from './profiles/avatar-routes.ts'
export { profiles } from './profiles/routes.ts'
export { ProfileSchema } from './profiles/schema.ts'
export type { ProfilesTable } from './profiles/tables.ts'
export {
  ACCOUNTS_ROUTE_GROUPS,
  type AccountsRouteGroup,
  DEFAULT_ACCOUNTS_ROUTES,
} from './route-groups.ts'
export { TokenSchema, tokenViewset } from './routes/token-management.ts'
export { dbSessionStore } from './sessions/db-session-store.ts'
export type { SessionsTable } from './sessions/tables.ts'
export type { AuthTokensTable, UserRow, UsersTable } from './tables.ts'
export { TokenLimitExceeded } from './token-limit.ts'
export {
  hashKey,
  mintToken,
  revokeToken,
  revokeUserTokens,
  type TokenRecord,
} from './tokens.ts'
export type { User } from './user.ts'
export {
  type AccountsBackendOptions,
  accountsBackend,
  checkCredentials,
  findByLogin,
} from './user-backend.ts'
export { createUser, type NewUser, setPassword, validateNewUser } from './users.ts'
