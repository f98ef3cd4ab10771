import { sql } from 'kysely'
import type { Database } from '../../framework/db/database.ts'
import { f, type Input, resourceSchema } from '../../framework/schema/index.ts'
import type { UserRow } from '../tables.ts'

/**
 * djoser's UserSerializer with this project's user: `email` writable (unique in any case),
 * `id` and `username` (LOGIN_FIELD) read-only. Only `email` is ever read from a body: `is_staff`,
 * `is_active`, `id` and unknown fields are dropped, never written (no mass assignment).
 */
export const DjoserUserSchema = resourceSchema('user', {
  email: f.email({ maxLength: 254, unique: true, label: 'email address' }),
  id: f.uuid({ readOnly: true }),
  username: f.string({ readOnly: true }),
})

/** What a user update may change. */
export type UserChanges = Input<typeof DjoserUserSchema.fields>

/** A user as djoser shows it, in the anchor's key order: `{"email","id","username"}`. */
export function userBody(row: Pick<UserRow, 'email' | 'id' | 'username'>) {
  return { email: row.email, id: row.id, username: row.username }
}

/** Validate an update of user `userId` (PUT needs every writable field, PATCH does not). */
export function validateUserChanges(
  db: Database,
  userId: string,
  data: unknown,
  partial: boolean,
): Promise<UserChanges> {
  return DjoserUserSchema.validate(data, {
    partial,
    // Taken means taken by someone else, in any case: the user may re-case their own address.
    unique: async (_field, value) => {
      const other = await db
        .selectFrom('users')
        .select('id')
        .where(sql`lower(email)`, '=', String(value).toLowerCase())
        .where('id', '!=', userId)
        .executeTakeFirst()
      return other !== undefined
    },
  })
}
