import { randomUUID } from 'node:crypto'
import type { Insertable } from 'kysely'
import type { UsersTable } from '../tables.ts'
import { NewUserSchema } from '../users.ts'
import type { DjangoRecord } from './django-dump.ts'

/** A Django user turned into our row, or the reason it cannot be. */
export type ConvertedUser =
  | { ok: true; row: Insertable<UsersTable> }
  | { ok: false; reason: string }

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/
const NAME_LENGTH = 32
// Our column's width; Django's own is 128, so only a hand-edited dump goes past it.
const PASSWORD_LENGTH = 255

/** How the report names a Django user: by username when it has one, else by pk. */
export function djangoUserLabel(record: DjangoRecord): string {
  const { username } = record.fields
  return typeof username === 'string' && username !== ''
    ? `user "${username}"`
    : `user pk ${JSON.stringify(record.pk)}`
}

/** How a token's `user` is matched with a Django user's pk: a UUID in any spelling. */
export function djangoPkKey(pk: unknown): string {
  return typeof pk === 'string' && UUID.test(pk) ? uuidOf(pk) : JSON.stringify(pk)
}

/**
 * A Django datetime as ISO 8601 UTC; `undefined` when malformed. Django writes naive datetimes
 * when USE_TZ is off: they are read as UTC, the only zone a dump can be assumed to mean.
 */
export function djangoDatetime(value: string): string | undefined {
  if (!ISO_DATETIME.test(value)) return undefined
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`
  const time = Date.parse(zoned.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

function uuidOf(pk: string): string {
  const hex = pk.replaceAll('-', '').toLowerCase()
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function displayName(fields: Record<string, unknown>): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  // A custom user model's own `name` wins; Django's default model has first and last names.
  const full = text(fields.name).trim() || `${text(fields.first_name)} ${text(fields.last_name)}`
  // Cut by code point, as the varchar(32) column counts, never inside a surrogate pair.
  return Array.from(full.trim()).slice(0, NAME_LENGTH).join('').trim()
}

/** The user's two datetimes as ISO 8601 UTC, or why one cannot be read. */
function djangoUserDates(fields: Record<string, unknown>) {
  const { date_joined: joined, last_login: lastLogin } = fields
  const dateJoined = typeof joined === 'string' ? djangoDatetime(joined) : new Date().toISOString()
  if (!dateJoined) return `date_joined ${JSON.stringify(joined)} is not a datetime`
  const lastLoginAt = typeof lastLogin === 'string' ? djangoDatetime(lastLogin) : null
  if (lastLoginAt === undefined) return `last_login ${JSON.stringify(lastLogin)} is not a datetime`
  return { date_joined: dateJoined, last_login: lastLoginAt }
}

/** Turn one Django user record into our row, validated as registration validates. */
export function userRowFromDjango(record: DjangoRecord): ConvertedUser {
  const { fields } = record
  const fail = (reason: string): ConvertedUser => ({ ok: false, reason })
  const username = NewUserSchema.fields.username.parse(fields.username ?? '')
  if (!username.ok) return fail(`username: ${username.errors.join(' ')}`)
  if (typeof fields.email !== 'string' || fields.email.trim() === '') {
    return fail('no email (an email is required here)')
  }
  const email = NewUserSchema.fields.email.parse(fields.email)
  if (!email.ok) return fail(`email ${fields.email}: ${email.errors.join(' ')}`)
  const { password } = fields
  // Kept as Django's hash (verified, then upgraded to argon2id at the next login); an unusable
  // "!…" password stays unusable, since no hasher of ours accepts it.
  if (typeof password !== 'string') return fail('no password field')
  if (password.length > PASSWORD_LENGTH) return fail('password hash longer than 255 characters')
  const dates = djangoUserDates(fields)
  if (typeof dates === 'string') return fail(dates)
  const pk = record.pk
  return {
    ok: true,
    row: {
      id: typeof pk === 'string' && UUID.test(pk) ? uuidOf(pk) : randomUUID(),
      username: username.value,
      email: email.value,
      name: displayName(fields),
      password,
      // Flags carry over as Django had them: a Django superuser is one here too.
      is_active: fields.is_active !== false,
      is_staff: fields.is_staff === true,
      is_superuser: fields.is_superuser === true,
      ...dates,
    },
  }
}
