import { sql } from 'kysely'
import type { Database } from '../../framework/db/database.ts'
import { uniqueViolation } from '../../framework/db/unique-violation.ts'
import { f, type Input, resourceSchema, type UniqueLookup } from '../../framework/schema/index.ts'
import { type User, userFromRow } from '../user.ts'
import { NewUserSchema } from '../users.ts'

/**
 * The writable part of rest-auth's UserDetailsSerializer: username and email (unique, with the
 * registration's messages) and name. Nothing else is read from a body (no mass assignment).
 */
export const UserDetailsSchema = resourceSchema('user', {
  username: NewUserSchema.fields.username,
  email: NewUserSchema.fields.email,
  // blank=True in the model: not required even on PUT, where an absent name stays as it is.
  name: f.string({ maxLength: 32, allowBlank: true, required: false }),
})

/** A validated change to a user's details. */
export type UserDetailsChange = Input<typeof UserDetailsSchema.fields>

/** The body of `rest-auth/user/`. */
export function userDetailsBody(user: User) {
  return { pk: user.id, username: user.username, email: user.email, name: user.name }
}

/** Username taken (exact) or email taken (any case) by a user other than `userId`. */
export function uniqueExceptUser(db: Database, userId: string): UniqueLookup {
  return async (field, value) => {
    const others = db.selectFrom('users').select('id').where('id', '!=', userId)
    const found =
      field === 'email'
        ? await others.where(sql`lower(email)`, '=', String(value).toLowerCase()).executeTakeFirst()
        : await others.where('username', '=', String(value)).executeTakeFirst()
    return found !== undefined
  }
}

/** The user with this id, or null. */
export async function findUser(db: Database, userId: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
  return row ? userFromRow(row) : null
}

/**
 * Apply a validated change and return the user as saved (null if it was deleted meanwhile).
 * A unique race lost to another request is the same field error as the checked case, never a 500.
 */
export async function updateUserDetails(
  db: Database,
  userId: string,
  change: UserDetailsChange,
): Promise<User | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (Object.keys(change).length > 0) {
        await trx.updateTable('users').set(change).where('id', '=', userId).execute()
      }
      return findUser(trx, userId)
    })
  } catch (err) {
    const violation = uniqueViolation(err)
    throw (violation && UserDetailsSchema.uniqueError(violation)) ?? err
  }
}
