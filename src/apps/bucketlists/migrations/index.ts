import type { Migrations } from 'portcullis'
import * as bucketlists from './20261122_0101_bucketlists.ts'

/** The bucketlist app's migrations. */
export const bucketlistMigrations: Migrations = {
  '20261122_0101_bucketlists': bucketlists,
}
