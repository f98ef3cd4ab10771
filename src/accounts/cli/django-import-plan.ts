import { type Insertable, sql } from 'kysely'
import type { Database } from '../../framework/db/database.ts'
import type { AuthTokensTable, UsersTable } from '../tables.ts'
import { hashKey, newTokenId } from '../tokens.ts'
import type { DjangoDump, DjangoRecord } from './django-dump.ts'
import {
  djangoDatetime,
  djangoPkKey,
  djangoUserLabel,
  userRowFromDjango,
} from './django-user-row.ts'

/** A token to insert, with how the report names it (never by its key: keys are secrets). */
export interface PlannedToken {
  label: string
  row: Insertable<AuthTokensTable>
}

/** A user to insert, with how the report names it. */
export interface PlannedUser {
  label: string
  row: Insertable<UsersTable>
}

/** What an import will insert, and the report lines of what it will not. */
export interface ImportPlan {
  users: PlannedUser[]
  /** Tokens by our id of their user. */
  tokens: Map<string, PlannedToken[]>
  skippedUsers: string[]
  skippedTokens: string[]
}

// authtoken's shape: 20 random bytes in hex. A shorter hand-set key would be a guessable
// credential, so it is not carried over.
const DJANGO_KEY = /^[0-9a-f]{40}$/i
const LOOKUP_CHUNK = 500
const TOKEN_NAME = 'Imported from Django'

/** The values among `values` that `lookup` finds in the database, asked in chunks. */
async function found(values: string[], lookup: (chunk: string[]) => Promise<{ value: string }[]>) {
  const taken = new Set<string>()
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
    for (const { value } of await lookup(values.slice(i, i + LOOKUP_CHUNK))) taken.add(value)
  }
  return taken
}

async function takenAccounts(db: Database, rows: Insertable<UsersTable>[]) {
  const users = db.selectFrom('users')
  return {
    usernames: await found(
      rows.map((r) => r.username),
      (chunk) => users.select('username as value').where('username', 'in', chunk).execute(),
    ),
    // Emails are unique whatever their case, here and against each other in the dump.
    emails: await found(
      rows.map((r) => r.email.toLowerCase()),
      (chunk) =>
        users
          .select(sql<string>`lower(email)`.as('value'))
          .where(sql`lower(email)`, 'in', chunk)
          .execute(),
    ),
    ids: await found(
      rows.map((r) => r.id),
      (chunk) => users.select('id as value').where('id', 'in', chunk).execute(),
    ),
  }
}

async function planUsers(db: Database, records: DjangoRecord[], plan: ImportPlan) {
  const converted = records.map((record) => ({ record, result: userRowFromDjango(record) }))
  const taken = await takenAccounts(
    db,
    converted.flatMap(({ result }) => (result.ok ? [result.row] : [])),
  )
  const accepted = new Map<DjangoRecord, Insertable<UsersTable>>()
  for (const { record, result } of converted) {
    const label = djangoUserLabel(record)
    const skip = (reason: string) => plan.skippedUsers.push(`${label}: ${reason}`)
    if (!result.ok) {
      skip(result.reason)
      continue
    }
    const { row } = result
    // Idempotent: an account already here is never overwritten or duplicated.
    if (taken.usernames.has(row.username)) skip('username already exists')
    else if (taken.emails.has(row.email.toLowerCase())) skip(`email ${row.email} already used`)
    else if (taken.ids.has(row.id)) skip(`id ${row.id} already used`)
    else {
      taken.usernames.add(row.username)
      taken.emails.add(row.email.toLowerCase())
      taken.ids.add(row.id)
      accepted.set(record, row)
      plan.users.push({ label, row })
    }
  }
  return accepted
}

/** The user record a token names: by pk, or by natural key (`dumpdata --natural-foreign`). */
function ownerFinder(records: DjangoRecord[]) {
  const byPk = new Map(records.map((r) => [djangoPkKey(r.pk), r]))
  const byUsername = new Map(records.map((r) => [r.fields.username, r]))
  return (ref: unknown) =>
    Array.isArray(ref) ? byUsername.get(ref[0]) : byPk.get(djangoPkKey(ref))
}

/** A token that passed every check, or why it did not. */
type TokenVerdict =
  | { keyHash: string; user: Insertable<UsersTable>; created: string }
  | { reason: string }

function judgeToken(
  record: DjangoRecord,
  owner: DjangoRecord | undefined,
  user: Insertable<UsersTable> | undefined,
  hashes: Set<string>,
): TokenVerdict {
  const { pk: key, fields } = record
  if (typeof key !== 'string' || !DJANGO_KEY.test(key)) {
    return { reason: 'key is not 40 hex characters' }
  }
  if (!owner) return { reason: 'user not in the file' }
  // Stored as the key's SHA-256, like our own tokens: clients keep sending the old key.
  const keyHash = hashKey(key)
  if (hashes.has(keyHash)) return { reason: 'already imported' }
  // Never given to a same-named account already here: that may be someone else.
  if (!user) return { reason: 'user not imported' }
  const created =
    typeof fields.created === 'string' ? djangoDatetime(fields.created) : new Date().toISOString()
  if (!created) return { reason: `created ${JSON.stringify(fields.created)} is not a datetime` }
  return { keyHash, user, created }
}

async function planTokens(
  db: Database,
  dump: DjangoDump,
  accepted: Map<DjangoRecord, Insertable<UsersTable>>,
  plan: ImportPlan,
) {
  const ownerOf = ownerFinder(dump.users)
  const keys = dump.tokens.map((t) => t.pk).filter((k) => typeof k === 'string')
  const hashes = await found(keys.map(hashKey), (chunk) =>
    db
      .selectFrom('auth_tokens')
      .select('key_hash as value')
      .where('key_hash', 'in', chunk)
      .execute(),
  )
  for (const record of dump.tokens) {
    const ref = record.fields.user
    const owner = ownerOf(ref)
    const label = `token of ${owner ? djangoUserLabel(owner) : `user ${JSON.stringify(ref)}`}`
    const verdict = judgeToken(record, owner, owner && accepted.get(owner), hashes)
    if ('reason' in verdict) {
      plan.skippedTokens.push(`${label}: ${verdict.reason}`)
      continue
    }
    const { keyHash, user, created } = verdict
    hashes.add(keyHash)
    const row = { id: newTokenId(), key_hash: keyHash, user_id: user.id, name: TOKEN_NAME, created }
    const list = plan.tokens.get(user.id) ?? []
    list.push({ label, row: { ...row, last_used: null, expires: null } })
    plan.tokens.set(user.id, list)
  }
}

/**
 * Decide, before writing anything, which users and tokens of a dump to import and why the
 * others are skipped: invalid, already here (idempotent re-runs), or their user skipped.
 */
export async function planDjangoImport(db: Database, dump: DjangoDump): Promise<ImportPlan> {
  const plan: ImportPlan = { users: [], tokens: new Map(), skippedUsers: [], skippedTokens: [] }
  const accepted = await planUsers(db, dump.users, plan)
  await planTokens(db, dump, accepted, plan)
  return plan
}
