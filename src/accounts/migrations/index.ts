import type { Migrations } from '../../framework/db/migrate.ts'
import * as users from './20261122_0001_users.ts'

/** The accounts app's migrations. */
export const accountsMigrations: Migrations = {
  '20261122_0001_accounts_users': users,
}
