import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { passwordHasher } from '../framework/auth/password-hasher.ts'
import type { Database } from '../framework/db/database.ts'
import { uniqueViolation } from '../framework/db/unique-violation.ts'
import { ValidationError } from '../framework/errors.ts'
import { f, resourceSchema, type UniqueLookup } from '../framework/schema/index.ts'
import { validatePassword } from './passwords/validators.ts'
import { createProfiles } from './profiles/create-profiles.ts'
import { PYTHON_WORD_CHARS } from './python-word.ts'
import { type User, userFromRow } from './user.ts'

// Django's UnicodeUsernameValidator, r'^[\w.@+-]+\Z': letters and digits of any script.
const USERNAME = new RegExp(`^[${PYTHON_WORD_CHARS}.@+-]+$`, 'u')

/** The fields a new account is made of, with Django's messages (djoser's UserCreateSerializer). */
export const NewUserSchema = resourceSchema('user', {
  username: f.string({
    maxLength: 150,
    unique: true,
    uniqueMessage: 'A user with that username already exists.',
    validators: [
      (v) =>
        USERNAME.test(v)
          ? null
          : 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    ],
  }),
  email: f.email({ maxLength: 254, unique: true, label: 'email address' }),
  name: f.string({ maxLength: 32, allowBlank: true, default: '' }),
  password: f.string({ trim: false, maxLength: 4096, style: { inputType: 'password' } }),
})

/** What creating a user takes; flags default to an active, non-staff user. */
export interface NewUser {
  username: string
  email: string
  password: string
  name?: string
  is_active?: boolean
  is_staff?: boolean
  is_superuser?: boolean
}

/** Username taken (exact), email taken (any case). */
export function userUniqueness(db: Database): UniqueLookup {
  return async (field, value) => {
    const query = db.selectFrom('users').select('id')
    const found =
      field === 'email'
        ? await query.where(sql`lower(email)`, '=', String(value).toLowerCase()).executeTakeFirst()
        : await query.where('username', '=', String(value)).executeTakeFirst()
    return found !== undefined
  }
}

/**
 * Validate a new user as registration does: fields first, then (only if they pass) Django's
 * password validators, whose messages go under `password`.
 */
export async function validateNewUser(db: Database, data: unknown): Promise<NewUser> {
  const clean = (await NewUserSchema.validate(data, { unique: userUniqueness(db) })) as NewUser
  const problems = validatePassword(clean.password, clean)
  if (problems.length) throw new ValidationError({ password: problems })
  return clean
}

/**
 * Create a user (the password hashed with argon2id) in one transaction; a unique race is a
 * field error like the checked case, never a 500. `inTransaction` adds rows that belong with it.
 */
export async function createUser(
  db: Database,
  data: NewUser,
  inTransaction?: (trx: Database, user: User) => Promise<void>,
): Promise<User> {
  const hash = await passwordHasher.hash(data.password)
  const row = {
    id: randomUUID(),
    // Django's normalize_username (NFKC): "ｊｏｈｎ" and "john" are one name, so one account.
    username: data.username.normalize('NFKC'),
    email: data.email,
    name: data.name ?? '',
    password: hash,
    is_active: data.is_active ?? true,
    is_staff: data.is_staff ?? false,
    is_superuser: data.is_superuser ?? false,
    date_joined: new Date().toISOString(),
    last_login: null,
  }
  try {
    return await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(row).execute()
      // Every user has a profile (API.md §1): made with the user, or neither is.
      await createProfiles(trx, [row.id])
      const user = userFromRow(row)
      if (inTransaction) await inTransaction(trx, user)
      return user
    })
  } catch (err) {
    const violation = uniqueViolation(err)
    throw (violation && NewUserSchema.uniqueError(violation)) ?? err
  }
}

/** Set a user's password (hashed); returns false when no user has that username. */
export async function setPassword(db: Database, username: string, password: string) {
  const hash = await passwordHasher.hash(password)
  const result = await db
    .updateTable('users')
    .set({ password: hash })
    .where('username', '=', username)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Record a login (Django's update_last_login). */
export async function touchLastLogin(db: Database, userId: string) {
  await db
    .updateTable('users')
    .set({ last_login: new Date().toISOString() })
    .where('id', '=', userId)
    .execute()
}
