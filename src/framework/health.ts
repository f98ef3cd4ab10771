import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { AllowAny } from './permissions/allow-any.ts'

/** `GET /health`: 200 when the database answers, 503 when it does not; never authenticated. */
export function healthRoute(app: FastifyInstance) {
  app.get(
    '/health',
    {
      config: {
        authentication: [],
        permissions: [AllowAny],
        throttles: [],
        view: { name: 'health', action: 'retrieve' },
      },
    },
    async (request, reply) => {
      try {
        await sql`select 1`.execute(request.server.db)
        return { status: 'ok', database: 'ok' }
      } catch (err) {
        request.log.error({ err }, 'health: database unreachable')
        return reply.code(503).send({ status: 'error', database: 'unavailable' })
      }
    },
  )
}
