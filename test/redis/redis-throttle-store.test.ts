import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisThrottleStore, type ThrottleStore } from '../../src/framework/index.ts'

// Throttle histories in a real Redis: atomic, one round trip, expiring with their window.
let redis: Redis
let store: ThrottleStore
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
  store = redisThrottleStore(redis)
})
afterAll(() => redis?.quit())

describe('the Redis throttle store', () => {
  it("allows `limit` hits per sliding window with DRF's wait", async () => {
    const key = randomUUID()
    const base = Date.now()
    for (const dt of [0, 1000, 2000])
      expect((await store.hit(key, 3, 60_000, base + dt)).allowed).toBe(true)
    expect(await store.hit(key, 3, 60_000, base + 3000)).toEqual({
      allowed: false,
      waitSeconds: 57,
    })
    expect((await store.hit(key, 3, 60_000, base + 60_001)).allowed).toBe(true)
  })

  it('lets exactly `limit` of many simultaneous hits through (atomic)', async () => {
    const key = randomUUID()
    const now = Date.now()
    const results = await Promise.all(
      Array.from({ length: 50 }, () => store.hit(key, 10, 60_000, now)),
    )
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
  })

  it('expires the key with its window, so idle clients leave nothing', async () => {
    const key = randomUUID()
    await store.hit(key, 5, 2000, Date.now())
    const ttl = await redis.pttl(`portcullis:throttle:${key}`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(2000)
  })
})
