import { createHash, randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisSessionStore, type SessionStore } from '../../src/framework/index.ts'

// Sessions in a real Redis (REDIS_URL), with an injected clock for the lifetimes.
let redis: Redis
let now = Date.parse('2026-01-01T00:00:00Z')
let store: SessionStore
const client = { userAgent: 'test', ip: '127.0.0.1' }

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
  store = redisSessionStore(redis, { maxAgeSeconds: 3600, idleSeconds: 600 }, () => now)
})
afterAll(() => redis?.quit())

describe('the Redis session store', () => {
  it('creates, finds and ends a session by its cookie value', async () => {
    const userId = randomUUID()
    const { key, session } = await store.create({ ...client, userId })
    expect(session.id).toMatch(/^[0-9a-f]{32}$/)
    expect((await store.get(key))?.userId).toBe(userId)
    expect(await redis.get(`portcullis:sess:${key}`)).toBeNull()
    await store.delete(key)
    expect(await store.get(key)).toBeNull()
  })

  it("lists a user's sessions and ends one by id, never another user's", async () => {
    const userId = randomUUID()
    const other = randomUUID()
    const a = await store.create({ ...client, userId })
    now += 1000
    const b = await store.create({ ...client, userId })
    const theirs = await store.create({ ...client, userId: other })
    expect((await store.listForUser(userId)).map((s) => s.id)).toEqual([b.session.id, a.session.id])
    expect(await store.deleteForUser(userId, theirs.session.id)).toBe(false)
    expect(await store.get(theirs.key)).not.toBeNull()
    expect(await store.deleteForUser(userId, a.session.id)).toBe(true)
    expect(await store.get(a.key)).toBeNull()
    await store.deleteAllForUser(userId, b.session.id)
    expect(await store.get(b.key)).not.toBeNull()
    await store.deleteAllForUser(userId)
    expect(await store.listForUser(userId)).toEqual([])
  })

  it('ends idle sessions and sessions past their absolute limit', async () => {
    const userId = randomUUID()
    const { key } = await store.create({ ...client, userId })
    now += 500_000
    expect(await store.get(key)).not.toBeNull()
    now += 601_000
    expect(await store.get(key)).toBeNull()
    const busy = await store.create({ ...client, userId })
    // Seen every 500 s, it never idles out, but it ends at 3600 s after login all the same.
    for (let seen = 500_000; seen <= 4_000_000; seen += 500_000) {
      now += 500_000
      expect((await store.get(busy.key)) !== null, `at ${seen / 1000} s`).toBe(seen < 3_600_000)
    }
  })

  it('lets Redis expire the keys with the session', async () => {
    const { key } = await store.create({ ...client, userId: randomUUID() })
    const ttl = await redis.pttl(
      `portcullis:sess:${createHash('sha256').update(key).digest('hex')}`,
    )
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(600_000)
  })
})
