import type { Migrations } from 'portcullis'
import * as rbac from './20261122_0501_rbac.ts'

/** The RBAC app's migrations. */
export const rbacMigrations: Migrations = {
  '20261122_0501_rbac': rbac,
}
