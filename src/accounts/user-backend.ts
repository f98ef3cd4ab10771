import { sql } from 'kysely'
import { passwordHasher, verifyDummy } from '../framework/auth/password-hasher.ts'
import type { UserBackend } from '../framework/auth/user.ts'
import type { Database } from '../framework/db/database.ts'
import { literalLimit } from '../framework/db/literal-limit.ts'
import { prepared } from '../framework/db/prepared.ts'
import { holdsNul } from '../framework/db/storable-text.ts'
import { andThen } from '../framework/maybe-promise.ts'
import { hashKey, lastUsedIsStale, recordTokenUse, type TokenRecord } from './tokens.ts'
import { type User, userFromRow } from './user.ts'

/** The user whose username, or else whose email (any case), is `login`. */
export async function findByLogin(db: Database, login: string) {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) =>
      eb.or([eb('username', '=', login), eb(sql`lower(email)`, '=', login.toLowerCase())]),
    )
    .limit(literalLimit(2))
    .execute()
  return rows.find((r) => r.username === login) ?? rows[0]
}

/** Check a password for a login; same work whether or not the user exists. */
export async function checkCredentials(
  db: Database,
  login: string,
  password: string,
): Promise<User | null> {
  // A login holding NUL names no user (PostgreSQL would refuse the lookup): one hash all the same.
  const row = login && !holdsNul(login) ? await findByLogin(db, login) : undefined
  if (!row) {
    // An unknown login costs one hash like a known one, so timing does not reveal accounts.
    await verifyDummy(password)
    return null
  }
  if (!(await passwordHasher.verify(row.password, password))) return null
  // Inactive users are refused only after the hash, for the same reason.
  if (!row.is_active) return null
  if (passwordHasher.needsRehash(row.password)) {
    // Imported Django hashes (pbkdf2) become argon2id at the first successful login.
    const upgraded = await passwordHasher.hash(password)
    await db.updateTable('users').set({ password: upgraded }).where('id', '=', row.id).execute()
  }
  return userFromRow(row)
}

/**
 * The account a login tries, for counting tries (the `login` throttle scope): an email counts as
 * its account's username, so switching between the two spellings buys no extra tries; case and
 * surrounding spaces are folded. Null for a blank login. One lookup, and only for an email.
 */
export async function accountForLogin(db: Database, raw: string): Promise<string | null> {
  const login = raw.trim().toLowerCase()
  if (login === '') return null
  if (!login.includes('@') || holdsNul(login)) return login
  const user = await db
    .selectFrom('users')
    .select('username')
    .where(sql`lower(email)`, '=', login)
    .executeTakeFirst()
  return user ? user.username.toLowerCase() : login
}

// What a request's user is made of (userFromRow): named, not `*`, so SQLite reads the row as an
// array, and no password hash is read on requests that never need it.
const USER_COLUMNS = [
  'users.id',
  'users.username',
  'users.email',
  'users.name',
  'users.is_active',
  'users.is_staff',
  'users.is_superuser',
] as const

// Every authenticated request runs one of these: built once, not per request.
const userById = prepared(1, (db: Database, id: string) =>
  db.selectFrom('users').select(USER_COLUMNS).where('users.id', '=', id),
)

// Looked up by the hash of a 160-bit random key: timing can reveal at most a hash prefix, which
// does not help to forge a key.
const userForTokenHash = prepared(1, (db: Database, keyHash: string) =>
  db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .select(USER_COLUMNS)
    .select([
      'auth_tokens.id as token_id',
      'auth_tokens.name as token_name',
      'auth_tokens.expires as token_expires',
      'auth_tokens.last_used as token_last_used',
    ])
    .where('auth_tokens.key_hash', '=', keyHash),
)

/** Options of `accountsBackend`. */
export interface AccountsBackendOptions {
  /** Told of a failed background write (a token's last_used); ignored by default. */
  onBackgroundError?(err: unknown): void
}

/** The accounts app's backend for the framework's authentication schemes. */
export function accountsBackend(db: Database, options: AccountsBackendOptions = {}): UserBackend {
  const onBackgroundError = options.onBackgroundError ?? (() => {})
  return {
    authenticate: (login, password) => checkCredentials(db, login, password),
    loginAccount: (login) => accountForLogin(db, login),
    userById(id) {
      // An id holding NUL names no user (a forged JWT's `user_id`): not found, as any unknown id.
      if (holdsNul(id)) return null
      return andThen(userById.first(db, id), (row) => (row ? userFromRow(row) : null))
    },
    userForToken(key) {
      return andThen(userForTokenHash.first(db, hashKey(key)), (row) => {
        if (!row) return null
        const now = Date.now()
        if (row.token_expires && new Date(row.token_expires).getTime() <= now) return null
        // An inactive user's token is refused by the scheme: a refused attempt is not a use.
        if (row.is_active && lastUsedIsStale(row.token_last_used, now)) {
          // Not awaited: bookkeeping must neither slow the request down nor fail it.
          recordTokenUse(db, row.token_id, now).catch(onBackgroundError)
        }
        const token: TokenRecord = { id: row.token_id, user_id: row.id, name: row.token_name }
        return { user: userFromRow(row), token }
      })
    },
  }
}
