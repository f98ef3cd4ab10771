import type { Migrations } from 'portcullis'
import * as statuses from './20261122_0401_statuses.ts'

/** The status app's migrations. */
export const statusMigrations: Migrations = {
  '20261122_0401_statuses': statuses,
}
