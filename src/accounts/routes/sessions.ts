import { Type } from '@sinclair/typebox'
import type { FastifyContextConfig, FastifyInstance } from 'fastify'
import type { SessionRecord } from '../../framework/auth/session-store.ts'
import { NotFound } from '../../framework/errors.ts'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import {
  pageAt,
  pageEnvelope,
  pageQuery,
  pageRequest,
  pageSchema,
} from '../../framework/resources/pagination.ts'

const SessionBody = Type.Object({
  id: Type.String(),
  created: Type.String({ format: 'date-time' }),
  last_seen: Type.String({ format: 'date-time' }),
  expires: Type.String({ format: 'date-time' }),
  user_agent: Type.String(),
  ip: Type.String(),
  current: Type.Boolean(),
})

/**
 * The user's own sessions: `GET /auth/sessions/` (where and when each was used) and
 * `DELETE /auth/sessions/{id}/` to end one, e.g. a session left open on another computer.
 */
export function sessionRoutes(app: FastifyInstance) {
  const config = { permissions: [IsAuthenticated] }
  const list: FastifyContextConfig = {
    ...config,
    view: { name: 'session', action: 'list' },
    summary: 'Your sessions: where and when each was used',
    query: Type.Object(pageQuery()),
  }
  app.get(
    '/auth/sessions/',
    {
      config: list,
      schema: { response: { 200: pageSchema(SessionBody) } },
    },
    async (request) => {
      const current = (request.auth as SessionRecord | null)?.id
      const sessions = await request.server.sessions.listForUser(request.user!.id)
      const page = pageAt(pageRequest(request), sessions.length)
      const rows = sessions.slice(page.offset, page.offset + page.size).map((s) => ({
        id: s.id,
        created: s.created,
        last_seen: s.lastSeen,
        expires: s.expires,
        user_agent: s.userAgent,
        ip: s.ip,
        current: s.id === current && request.authenticator?.name === 'session',
      }))
      return pageEnvelope(request, page, sessions.length, rows)
    },
  )
  app.delete(
    '/auth/sessions/:id/',
    {
      config: {
        ...config,
        view: { name: 'session', action: 'destroy' },
        summary: 'End one of your sessions',
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string }
      if (!(await request.server.sessions.deleteForUser(request.user!.id, id))) throw new NotFound()
      return reply.code(204).send()
    },
  )
}
