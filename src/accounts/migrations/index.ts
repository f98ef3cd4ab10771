import type { Migrations } from '../../framework/db/migrate.ts'
import * as users from './20261122_0001_users.ts'
import * as jwt from './20261122_0002_jwt.ts'
import * as sessions from './20261122_0004_sessions.ts'

/** The accounts app's migrations. */
export const accountsMigrations: Migrations = {
  '20261122_0001_accounts_users': users,
  '20261122_0002_accounts_jwt': jwt,
  '20261122_0004_accounts_sessions': sessions,
}
