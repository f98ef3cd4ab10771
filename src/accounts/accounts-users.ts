import type { UsersProvider } from '../framework/auth/user-store.ts'
import { accountsPermissionBackend } from './permissions/permission-backend.ts'
import { dbSessionStore } from './sessions/db-session-store.ts'
import { type AccountsBackendOptions, accountsBackend } from './user-backend.ts'

/**
 * The accounts app as the server's user store, for the portcullis plugin's `users` setting:
 * users and hashed tokens, model and object permissions, and sessions in the database (unless
 * the server has Redis). Its tables come from `accountsMigrations`.
 */
export function accountsUsers(options: AccountsBackendOptions = {}): UsersProvider {
  return ({ db, sessions, log }) => ({
    users: accountsBackend(db, {
      onBackgroundError:
        options.onBackgroundError ?? ((err) => log.warn({ err }, 'could not record a token use')),
    }),
    permissions: accountsPermissionBackend(db),
    sessions: dbSessionStore(db, sessions),
  })
}
