import type { Migrations } from '../../../framework/db/migrate.ts'
import * as rbac from './20261122_0501_rbac.ts'

/** The RBAC app's migrations. */
export const rbacMigrations: Migrations = {
  '20261122_0501_rbac': rbac,
}
