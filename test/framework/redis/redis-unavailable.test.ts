import { ReplyError } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { ServiceUnavailable } from '../../../src/framework/errors.ts'
import { openRedis } from '../../../src/framework/redis/redis-client.ts'
import {
  isRedisUnavailable,
  unavailableAsServiceError,
} from '../../../src/framework/redis/redis-unavailable.ts'

// Only an outage becomes a 503: an error Redis sent back, or a bug, stays what it is.
const failing = (err: Error) => unavailableAsServiceError({ get: async () => Promise.reject(err) })

describe('a Redis outage at the store boundary', () => {
  it('is a 503 with Retry-After when Redis cannot be reached, at once', async () => {
    // Nothing listens on port 1; with no offline queue, the command fails instead of waiting.
    const redis = openRedis('redis://127.0.0.1:1', { retryStrategy: () => null })
    redis.on('error', () => {})
    const store = unavailableAsServiceError({ get: (key: string) => redis.get(key) })
    const started = Date.now()
    const err = await store.get('k').catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(500)
    expect(err).toBeInstanceOf(ServiceUnavailable)
    expect((err as ServiceUnavailable).status).toBe(503)
    expect((err as ServiceUnavailable).headers['retry-after']).toBe('5')
    redis.disconnect()
  })

  it('is a 503 when a command gets no answer in time', async () => {
    await expect(failing(new Error('Command timed out')).get()).rejects.toBeInstanceOf(
      ServiceUnavailable,
    )
  })

  it('passes an error Redis answered with, and any other error, through unchanged', async () => {
    const reply = new ReplyError(
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    )
    expect(isRedisUnavailable(reply)).toBe(false)
    await expect(failing(reply).get()).rejects.toBe(reply)
    const bug = new TypeError('Cannot read properties of undefined')
    await expect(failing(bug).get()).rejects.toBe(bug)
  })
})
