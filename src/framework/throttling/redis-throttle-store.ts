import type { RedisCommands } from '../redis/redis-commands.ts'
import { unavailableAsServiceError } from '../redis/redis-unavailable.ts'
import { type HitResult, type ThrottleStore, waitSeconds } from './throttle-store.ts'

// One round trip, atomic: drop what left the window, count, and record only if allowed. The key
// expires with its window, so idle clients leave nothing behind.
const HIT = `
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, count, tonumber(oldest[2])}
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return {1, count + 1, now}
`

/**
 * Sliding-window histories in Redis, shared by every process. While Redis does not answer, a hit
 * fails with a 503 (ServiceUnavailable): a limit that cannot be counted is not waived.
 */
export function redisThrottleStore(
  redis: RedisCommands,
  prefix = 'portcullis:throttle:',
): ThrottleStore {
  let sequence = 0
  const store = {
    async hit(key: string, limit: number, windowMs: number, now: number): Promise<HitResult> {
      // A unique member per hit: two hits in the same millisecond are two requests.
      const member = `${now}:${process.pid}:${sequence++}`
      const [allowed, count, oldest] = (await redis.eval(
        HIT,
        1,
        `${prefix}${key}`,
        now,
        windowMs,
        limit,
        member,
      )) as [number, number, number]
      if (allowed === 1) return { allowed: true, waitSeconds: 0 }
      return { allowed: false, waitSeconds: waitSeconds(oldest, count, limit, windowMs, now) }
    },
  }
  return unavailableAsServiceError(store) satisfies ThrottleStore
}
