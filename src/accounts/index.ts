import type { FastifyInstance } from 'fastify'
import { type AccountsSettings, installAccountsSettings } from './accounts-settings.ts'
import { groupRouter } from './permissions/routes/groups.ts'
import { objectPermissionRouter } from './permissions/routes/object-permissions.ts'
import { userPermissionRoutes } from './permissions/routes/user-permissions.ts'
import { avatarRoutes } from './profiles/avatar-routes.ts'
import { restAuthRoutes } from './rest-auth/routes.ts'
import { djoserActivationRoutes } from './routes/djoser-activation.ts'
import { djoserPasswordRoutes } from './routes/djoser-passwords.ts'
import { djoserUserRoutes } from './routes/djoser-users.ts'
import { loginPageRoutes } from './routes/login-pages.ts'
import { registrationRoutes } from './routes/registration.ts'
import { sessionLoginRoutes } from './routes/session-login.ts'
import { sessionRoutes } from './routes/sessions.ts'
import { tokenLoginRoutes } from './routes/token-login.ts'

export { type AccountsSettings, accountsSettings } from './accounts-settings.ts'
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
export { jwtRoutes } from './jwt/routes.ts'
export type { JwtBlacklistTable, JwtRefreshFamiliesTable } from './jwt/tables.ts'
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
export { GroupSchema, groupRouter, groupViewset } from './permissions/routes/groups.ts'
export {
  ObjectPermissionSchema,
  objectPermissionRouter,
  objectPermissionViewset,
} from './permissions/routes/object-permissions.ts'
export { userPermissionRoutes } from './permissions/routes/user-permissions.ts'
export type {
  AuthGroupPermissionsTable,
  AuthGroupsTable,
  AuthObjectPermissionsTable,
  AuthUserGroupsTable,
  AuthUserPermissionsTable,
} from './permissions/tables.ts'
export { AVATAR_IMAGE, avatarRoutes } from './profiles/avatar-routes.ts'
export { profiles } from './profiles/routes.ts'
export { ProfileSchema } from './profiles/schema.ts'
export type { ProfilesTable } from './profiles/tables.ts'
export { restAuthRoutes } from './rest-auth/routes.ts'
export { tokenRouter } from './routes/token-management.ts'
export { dbSessionStore } from './sessions/db-session-store.ts'
export type { SessionsTable } from './sessions/tables.ts'
export type { AuthTokensTable, UserRow, UsersTable } from './tables.ts'
export { hashKey, mintToken, revokeToken, type TokenRecord } from './tokens.ts'
export type { User } from './user.ts'
export {
  type AccountsBackendOptions,
  accountsBackend,
  checkCredentials,
  findByLogin,
} from './user-backend.ts'
export { createUser, type NewUser, setPassword, validateNewUser } from './users.ts'

/** What `accountsRoutes` takes: its settings (a default for each one not given), and what to mount. */
export interface AccountsRoutesOptions extends Partial<AccountsSettings> {
  /** `PUT/PATCH /api/avatar/`, which needs the optional "sharp" package (default: true). */
  avatars?: boolean
}

/** Mount the accounts endpoints with their settings. */
export function accountsRoutes(app: FastifyInstance, options: AccountsRoutesOptions = {}) {
  const { avatars = true, ...settings } = options
  installAccountsSettings(app, settings)
  registrationRoutes(app)
  djoserUserRoutes(app)
  djoserPasswordRoutes(app)
  djoserActivationRoutes(app)
  tokenLoginRoutes(app)
  loginPageRoutes(app)
  sessionLoginRoutes(app)
  sessionRoutes(app)
  restAuthRoutes(app)
  if (avatars) avatarRoutes(app)
  groupRouter.mount(app)
  objectPermissionRouter.mount(app)
  userPermissionRoutes(app)
}
