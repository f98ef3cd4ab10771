import { ServiceUnavailable } from '../errors.ts'

/** Seconds a client is asked to wait (`Retry-After`) when Redis does not answer. */
export const REDIS_RETRY_AFTER_SECONDS = 5

// What ioredis rejects a command with when it never reached Redis or got no answer in time.
const CLIENT_MESSAGES = [
  'Command timed out',
  "Stream isn't writeable",
  'Connection is closed.',
  'Reached the max retries per request limit',
]
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])

/**
 * Whether a Redis call failed because Redis could not be reached or did not answer in time;
 * an error Redis itself sent back (a ReplyError: a bug, not an outage) is not one.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || err.name === 'ReplyError') return false
  if (err.name === 'MaxRetriesPerRequestError') return true
  const code = (err as NodeJS.ErrnoException).code
  if (code && NETWORK_CODES.has(code)) return true
  return CLIENT_MESSAGES.some((message) => err.message.startsWith(message))
}

/** The 503 a request gets when what it needs lives in a Redis that does not answer. */
export function redisUnavailable(): ServiceUnavailable {
  const err = new ServiceUnavailable()
  err.headers['retry-after'] = String(REDIS_RETRY_AFTER_SECONDS)
  return err
}

type AsyncMethod = (...args: never[]) => Promise<unknown>

/**
 * Wrap a Redis-backed store so an outage surfaces as a 503 (ServiceUnavailable) from each of its
 * methods; every other error passes through unchanged, to be seen as the bug it is.
 */
export function unavailableAsServiceError<S extends { [K in keyof S]: AsyncMethod }>(store: S): S {
  const guarded: Record<string, AsyncMethod> = {}
  for (const [name, method] of Object.entries<AsyncMethod>(store)) {
    guarded[name] = (...args) =>
      method(...args).catch((err: unknown) => {
        throw isRedisUnavailable(err) ? redisUnavailable() : err
      })
  }
  return guarded as S
}
