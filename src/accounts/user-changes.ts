import { sql } from 'kysely'
import { passwordHasher } from '../framework/auth/password-hasher.ts'
import type { Database } from '../framework/db/database.ts'
import type { UserRow } from './tables.ts'

/** The user row with this id, or undefined. */
export async function userRowById(db: Database, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The user row whose email is `email` in any case, or undefined (emails are unique so). */
export async function userRowByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
}

/** Whether a stored hash can ever match a password (Django's has_usable_password). */
export function hasUsablePassword(row: Pick<UserRow, 'password'>): boolean {
  // Django marks unusable passwords with a leading "!"; an empty hash matches nothing either.
  return row.password !== '' && !row.password.startsWith('!')
}

/** Hash a new password (argon2id): slow, so done before any transaction opens. */
export function hashPassword(password: string): Promise<string> {
  return passwordHasher.hash(password)
}

/** Set a user's email (and, when given, whether the account is active). */
export async function storeEmail(db: Database, userId: string, email: string, isActive?: boolean) {
  await db
    .updateTable('users')
    .set({ email, ...(isActive !== undefined && { is_active: isActive }) })
    .where('id', '=', userId)
    .execute()
}

/** Mark an account active; false when it already was (or is gone), so a race activates once. */
export async function activateUser(db: Database, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ is_active: true })
    .where('id', '=', userId)
    .where('is_active', '=', false)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Delete a user; their tokens, sessions and other rows go with them (ON DELETE CASCADE). */
export async function deleteUser(db: Database, userId: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', userId).execute()
}
