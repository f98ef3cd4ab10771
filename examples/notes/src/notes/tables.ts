import type { ColumnType, Generated } from 'kysely'

/** `notes`: a title and a body its owner writes; only the owner sees it. */
export interface NotesTable {
  id: Generated<number>
  title: string
  body: string
  owner_id: string
  // Read as a string (SQLite) or a Date (PostgreSQL); written as an ISO string.
  created_at: ColumnType<string | Date, string, string>
}

declare module 'portcullis' {
  interface Tables {
    notes: NotesTable
  }
}
