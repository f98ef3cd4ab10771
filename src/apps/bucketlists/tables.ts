import type { ColumnType, Generated } from 'kysely'

/** `bucketlists`: things to do before you die, one list per name, owned by a user. */
export interface BucketlistsTable {
  id: Generated<number>
  name: string
  owner_id: string
  date_created: ColumnType<string | Date, string, string>
  date_modified: ColumnType<string | Date, string, string>
}

declare module 'portcullis' {
  interface Tables {
    bucketlists: BucketlistsTable
  }
}
