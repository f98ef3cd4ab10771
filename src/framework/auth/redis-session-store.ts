import type { RedisCommands } from '../redis/redis-commands.ts'
import { unavailableAsServiceError } from '../redis/redis-unavailable.ts'
import { hashSessionKey, newSessionId, newSessionKey } from './session-key.ts'
import {
  isExpired,
  LAST_SEEN_RESOLUTION_MS,
  type SessionLifetimes,
  type SessionRecord,
  type SessionStore,
} from './session-store.ts'

// Keys: `sess:<hash>` → the record (expiring with it), `sess-id:<id>` → hash, and a per-user set
// of hashes for listing; stale members of the set are dropped as they are found.

/**
 * Sessions in Redis, shared by every process; each key expires with its session. While Redis does
 * not answer, every method fails with a 503 (ServiceUnavailable), never hangs.
 */
export function redisSessionStore(
  redis: RedisCommands,
  lifetimes: SessionLifetimes,
  now: () => number = Date.now,
  prefix = 'portcullis:',
): SessionStore {
  const byHash = (hash: string) => `${prefix}sess:${hash}`
  const byId = (id: string) => `${prefix}sess-id:${id}`
  const ofUser = (userId: string) => `${prefix}sess-user:${userId}`

  function ttlMs(session: SessionRecord) {
    const absolute = Date.parse(session.expires) - now()
    const idle = lifetimes.idleSeconds
      ? Date.parse(session.lastSeen) + lifetimes.idleSeconds * 1000 - now()
      : absolute
    return Math.max(1, Math.min(absolute, idle))
  }

  async function save(hash: string, session: SessionRecord) {
    const ttl = ttlMs(session)
    await redis
      .multi()
      .set(byHash(hash), JSON.stringify(session), 'PX', ttl)
      .set(byId(session.id), hash, 'PX', ttl)
      .sadd(ofUser(session.userId), hash)
      .pexpire(ofUser(session.userId), lifetimes.maxAgeSeconds * 1000)
      .exec()
  }

  async function load(hash: string): Promise<SessionRecord | null> {
    const raw = await redis.get(byHash(hash))
    if (!raw) return null
    const session = JSON.parse(raw) as SessionRecord
    return isExpired(session, lifetimes, now()) ? null : session
  }

  async function remove(hash: string, session: SessionRecord) {
    await redis
      .multi()
      .del(byHash(hash))
      .del(byId(session.id))
      .srem(ofUser(session.userId), hash)
      .exec()
  }

  const store: SessionStore = {
    async create(data) {
      const key = newSessionKey()
      const at = now()
      const session: SessionRecord = {
        id: newSessionId(),
        userId: data.userId,
        created: new Date(at).toISOString(),
        lastSeen: new Date(at).toISOString(),
        expires: new Date(at + lifetimes.maxAgeSeconds * 1000).toISOString(),
        userAgent: data.userAgent,
        ip: data.ip,
      }
      await save(hashSessionKey(key), session)
      return { key, session }
    },
    async get(key) {
      const hash = hashSessionKey(key)
      const session = await load(hash)
      if (session && now() - Date.parse(session.lastSeen) >= LAST_SEEN_RESOLUTION_MS) {
        session.lastSeen = new Date(now()).toISOString()
        await save(hash, session)
      }
      return session
    },
    async delete(key) {
      const hash = hashSessionKey(key)
      const raw = await redis.get(byHash(hash))
      if (raw) await remove(hash, JSON.parse(raw) as SessionRecord)
    },
    async listForUser(userId) {
      const hashes = await redis.smembers(ofUser(userId))
      const live: SessionRecord[] = []
      for (const hash of hashes) {
        const session = await load(hash)
        if (session) live.push(session)
        else await redis.srem(ofUser(userId), hash)
      }
      return live.sort((a, b) => b.created.localeCompare(a.created))
    },
    async deleteForUser(userId, id) {
      const hash = await redis.get(byId(id))
      const session = hash ? await load(hash) : null
      // Another user's session id answers exactly like an unknown one.
      if (!hash || !session || session.userId !== userId) return false
      await remove(hash, session)
      return true
    },
    async deleteAllForUser(userId, exceptId) {
      for (const hash of await redis.smembers(ofUser(userId))) {
        const raw = await redis.get(byHash(hash))
        const session = raw ? (JSON.parse(raw) as SessionRecord) : null
        if (session?.id === exceptId) continue
        if (session) await remove(hash, session)
        else await redis.srem(ofUser(userId), hash)
      }
    },
  }
  return unavailableAsServiceError(store)
}
