import type { ColumnType, Generated } from 'kysely'

/** `statuses`: short updates a user posts on their profile. */
export interface StatusesTable {
  id: Generated<number>
  profile_id: number
  status_content: string
  created_at: ColumnType<string | Date, string, string>
  updated_at: ColumnType<string | Date, string, string>
}

declare module 'portcullis' {
  interface Tables {
    statuses: StatusesTable
  }
}
