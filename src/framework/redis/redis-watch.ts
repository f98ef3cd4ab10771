import type { FastifyBaseLogger } from 'fastify'
import type { RedisClient } from './redis-commands.ts'

/**
 * Log Redis going away and coming back, one line each: ioredis reports every failed reconnect
 * (several a second), and requests answered 503 meanwhile are not errors worth a stack each.
 */
export function watchRedis(redis: RedisClient, log: FastifyBaseLogger): void {
  let down = false
  redis.on('error', (err: Error) => {
    if (down) return
    down = true
    log.warn(`redis: unavailable (${err.message}); what needs it answers 503 until it returns`)
  })
  redis.on('close', () => {
    // A close without an error (Redis shut down cleanly) is an outage too.
    if (down || redis.status === 'end') return
    down = true
    log.warn('redis: connection closed; what needs it answers 503 until it returns')
  })
  redis.on('ready', () => {
    if (!down) return
    down = false
    log.info('redis: connected again')
  })
}
