import type { ColumnType, Selectable } from 'kysely'

/** A moment: ISO text written; SQLite reads back text, PostgreSQL a Date. */
export type Timestamp = ColumnType<string | Date, string, string>
/** A flag: SQLite reads back 0/1, PostgreSQL a boolean. */
export type Flag = ColumnType<boolean | number, boolean, boolean>

/** `users`: the accounts of every app (Django's auth_user with a UUID key and email login). */
export interface UsersTable {
  id: string
  username: string
  email: string
  name: string
  password: string
  is_active: Flag
  is_staff: Flag
  is_superuser: Flag
  date_joined: Timestamp
  last_login: ColumnType<string | Date | null, string | null, string | null>
}

/** `auth_tokens`: API tokens, several per user, stored as SHA-256 hashes of the key. */
export interface AuthTokensTable {
  id: string
  key_hash: string
  user_id: string
  name: string
  created: Timestamp
  last_used: ColumnType<string | Date | null, string | null, string | null>
  expires: ColumnType<string | Date | null, string | null, string | null>
}

/** A user row as read. */
export type UserRow = Selectable<UsersTable>

declare module '../framework/db/tables.ts' {
  interface Tables {
    users: UsersTable
    auth_tokens: AuthTokensTable
  }
}
