import type { ColumnType, Generated } from 'kysely'

// Read as a string (SQLite) or a Date (PostgreSQL); written as an ISO string.
type Timestamp = ColumnType<string | Date, string, string>

/** `notes`: a title and a body its owner writes, read by its owner and its readers. */
export interface NotesTable {
  id: Generated<number>
  title: string
  body: string
  owner_id: string
  created_at: Timestamp
}

/** `note_readers`: who a note is shared with (a many-to-many to users). */
export interface NoteReadersTable {
  note_id: number
  user_id: string
}

/** `comments`: what anyone who may read a note says under it. */
export interface CommentsTable {
  id: Generated<number>
  note_id: number
  author_id: string
  body: string
  created_at: Timestamp
}

declare module 'portcullis' {
  interface Tables {
    notes: NotesTable
    note_readers: NoteReadersTable
    comments: CommentsTable
  }
}
