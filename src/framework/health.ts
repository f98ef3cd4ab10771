import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { AllowAny } from './permissions/allow-any.ts'
import type { RedisCommands } from './redis/redis-commands.ts'

// The answer, healthy (200) or not (503), for OpenAPI.
const Health: TSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  redis: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('unavailable')])),
})

/** What `/health` checks besides the database. */
export interface HealthOptions {
  /** The server's Redis, when it uses one (sessions, throttles). */
  redis?: RedisCommands
}

// One check: 'ok', or 'unavailable' with one warning line (no stack: an outage is not a bug).
async function check(request: FastifyRequest, name: string, probe: () => Promise<unknown>) {
  try {
    await probe()
    return 'ok'
  } catch (err) {
    request.log.warn(`health: ${name} unavailable (${(err as Error).message})`)
    return 'unavailable'
  }
}

/**
 * `GET /health`: 200 when the database (and Redis, when used) answers, 503 naming what does not;
 * never authenticated. Redis calls are bounded by the client's command timeout.
 */
export function healthRoute(app: FastifyInstance, options: HealthOptions = {}) {
  const { redis } = options
  app.get(
    '/health',
    {
      config: {
        authentication: [],
        permissions: [AllowAny],
        throttles: [],
        view: { name: 'health', action: 'retrieve' },
        summary: 'Whether the database (and Redis, when used) answers',
        responses: { 200: Health, 503: Health },
      },
    },
    async (request, reply) => {
      const status: Record<string, string> = {
        database: await check(request, 'database', () => sql`select 1`.execute(request.server.db)),
      }
      if (redis) status.redis = await check(request, 'redis', () => redis.ping())
      const ok = Object.values(status).every((s) => s === 'ok')
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', ...status })
    },
  )
}
