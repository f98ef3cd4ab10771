import type { Selectable } from 'kysely'
import { hashSessionKey, newSessionId, newSessionKey } from '../../framework/auth/session-key.ts'
import {
  isExpired,
  LAST_SEEN_RESOLUTION_MS,
  type SessionLifetimes,
  type SessionRecord,
  type SessionStore,
} from '../../framework/auth/session-store.ts'
import type { Database } from '../../framework/db/database.ts'
import { prepared } from '../../framework/db/prepared.ts'
import { holdsNul } from '../../framework/db/storable-text.ts'
import type { SessionsTable } from './tables.ts'

const iso = (value: string | Date) => (value instanceof Date ? value.toISOString() : value)

function record(row: Omit<Selectable<SessionsTable>, 'key_hash'>): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    created: iso(row.created),
    lastSeen: iso(row.last_seen),
    expires: iso(row.expires),
    userAgent: row.user_agent,
    ip: row.ip,
  }
}

// What a session record is read from: every column but the key's hash.
const COLUMNS = ['id', 'user_id', 'created', 'last_seen', 'expires', 'user_agent', 'ip'] as const

// Every session-authenticated request runs it: built once, not per request. Its columns named,
// not `*`, so SQLite's rows come back as arrays made into objects of one shape (cached-sqlite).
const sessionByKeyHash = prepared(1, (db: Database, keyHash: string) =>
  db.selectFrom('sessions').select(COLUMNS).where('key_hash', '=', keyHash),
)

/** Sessions in the `sessions` table (the default store); expired rows are pruned as met. */
export function dbSessionStore(
  db: Database,
  lifetimes: SessionLifetimes,
  now: () => number = Date.now,
): SessionStore {
  let lastPrune = 0
  // Expired rows are deleted at most once a minute, on the way in, so the table cannot grow.
  async function prune() {
    if (now() - lastPrune < 60_000) return
    lastPrune = now()
    await db.deleteFrom('sessions').where('expires', '<=', new Date(now()).toISOString()).execute()
  }

  return {
    async create(data) {
      await prune()
      const key = newSessionKey()
      const at = new Date(now()).toISOString()
      const session: SessionRecord = {
        id: newSessionId(),
        userId: data.userId,
        created: at,
        lastSeen: at,
        expires: new Date(now() + lifetimes.maxAgeSeconds * 1000).toISOString(),
        userAgent: data.userAgent,
        ip: data.ip,
      }
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          key_hash: hashSessionKey(key),
          user_id: session.userId,
          created: session.created,
          last_seen: session.lastSeen,
          expires: session.expires,
          user_agent: session.userAgent,
          ip: session.ip,
        })
        .execute()
      return { key, session }
    },
    async get(key) {
      const row = await sessionByKeyHash.first(db, hashSessionKey(key))
      if (!row) return null
      const session = record(row)
      if (isExpired(session, lifetimes, now())) {
        await db.deleteFrom('sessions').where('id', '=', session.id).execute()
        return null
      }
      if (now() - Date.parse(session.lastSeen) >= LAST_SEEN_RESOLUTION_MS) {
        session.lastSeen = new Date(now()).toISOString()
        await db
          .updateTable('sessions')
          .set({ last_seen: session.lastSeen })
          .where('id', '=', session.id)
          .execute()
      }
      return session
    },
    async delete(key) {
      await db.deleteFrom('sessions').where('key_hash', '=', hashSessionKey(key)).execute()
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created', 'desc')
        .execute()
      return rows.map(record).filter((s) => !isExpired(s, lifetimes, now()))
    },
    async deleteForUser(userId, id) {
      if (holdsNul(id)) return false
      // Scoped by user: another user's session id answers exactly like an unknown one.
      const result = await db
        .deleteFrom('sessions')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },
    async deleteAllForUser(userId, exceptId, trx) {
      let query = (trx ?? db).deleteFrom('sessions').where('user_id', '=', userId)
      if (exceptId) query = query.where('id', '!=', exceptId)
      await query.execute()
    },
  }
}
