import type { Migrations } from 'portcullis'
import * as lending from './20261122_0201_lending.ts'

/** The lending app's migrations. */
export const lendingMigrations: Migrations = {
  '20261122_0201_lending': lending,
}
