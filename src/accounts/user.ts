import type { AuthUser } from '../framework/auth/user.ts'
import type { UserRow } from './tables.ts'

/** A user as the accounts app hands it to the framework. */
export interface User extends AuthUser {
  email: string
  name: string
}

/** The framework's user from a row; SQLite's 0/1 flags become booleans. */
export function userFromRow(
  row: Pick<
    UserRow,
    'id' | 'username' | 'email' | 'name' | 'is_active' | 'is_staff' | 'is_superuser'
  >,
): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    name: row.name,
    is_active: Boolean(row.is_active),
    is_staff: Boolean(row.is_staff),
    is_superuser: Boolean(row.is_superuser),
  }
}
