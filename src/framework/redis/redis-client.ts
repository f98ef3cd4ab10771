import type { Redis, RedisOptions } from 'ioredis'
import { loadOptional } from '../optional-package.ts'
import type { RedisClient } from './redis-commands.ts'

/** A Redis client this package opened: not connected until `connect()`, closed by `disconnect()`. */
export interface RedisConnection extends RedisClient {
  connect(): Promise<void>
  disconnect(): void
}

/** Ioredis's options this package sets or tests change (its own type stays out of the declarations). */
export interface RedisConnectionOptions {
  /** How long to wait before reconnect attempt `attempt`; null stops reconnecting. */
  retryStrategy?: (attempt: number) => number | null
}

/** The longest a Redis command may take before it fails (and the request answers 503). */
export const REDIS_COMMAND_TIMEOUT_MS = 1000

/**
 * Options that bound every Redis call: a request that needs Redis answers within about a second
 * whether Redis is down, hung or back, and the client keeps reconnecting on its own.
 */
const REDIS_OPTIONS: RedisOptions = {
  // The caller connects (and checks the answer) before any request is taken.
  lazyConnect: true,
  // While disconnected a command fails at once; queued, it would hold its request until Redis returns.
  enableOfflineQueue: false,
  // A Redis that accepts the connection but stops answering (paused, swapping, partitioned).
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: 2000,
  maxRetriesPerRequest: 1,
  // Reconnect forever, at least once a second, so service resumes by itself when Redis returns.
  retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
}

/**
 * A Redis client for `url` with bounded calls (not yet connected: call `connect()`), from the
 * optional "ioredis" package, loaded here and only here.
 */
export function openRedis(url: string, options: RedisConnectionOptions = {}): RedisConnection {
  const { Redis } = loadOptional<typeof import('ioredis')>('ioredis')
  const client: Redis = new Redis(url, { ...REDIS_OPTIONS, ...options })
  return client
}
