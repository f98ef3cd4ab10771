import type { FastifyRequest } from 'fastify'
import type { SessionRecord } from '../../framework/auth/session-store.ts'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { objectViewset } from '../../framework/resources/object-viewset.ts'
import { Router } from '../../framework/resources/router.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'

/** A session as its user sees it: where and when it was used, never its cookie. */
const SessionSchema = resourceSchema('session', {
  id: f.string({ readOnly: true }),
  created: f.datetime({ readOnly: true }),
  last_seen: f.datetime({ readOnly: true }),
  expires: f.datetime({ readOnly: true }),
  user_agent: f.string({ readOnly: true }),
  ip: f.string({ readOnly: true }),
  current: f.boolean({ readOnly: true }),
})

// Only a session-authenticated request has a current session: a token's record has an id too.
function currentSessionId(request: FastifyRequest): string | null {
  if (request.authenticator?.name !== 'session') return null
  return (request.auth as SessionRecord).id
}

/**
 * `/auth/sessions/`: the requester's own sessions, newest first, and `DELETE {id}/` to end one,
 * e.g. a session left open on another computer. Sessions live in the server's session store (a
 * table or Redis), so this is an object viewset over it: another user's session id is a miss.
 */
export const sessionViewset = objectViewset({
  basename: 'session',
  schema: SessionSchema,
  permissions: [IsAuthenticated],
  lookupField: 'id',
  actions: ['list', 'destroy'],
  async list(request) {
    const current = currentSessionId(request)
    const sessions = await request.server.sessions.listForUser(request.user!.id)
    return sessions.map((s) => ({
      id: s.id,
      created: s.created,
      last_seen: s.lastSeen,
      expires: s.expires,
      user_agent: s.userAgent,
      ip: s.ip,
      current: s.id === current,
    }))
  },
  destroy: (request, session) =>
    request.server.sessions.deleteForUser(request.user!.id, session.id),
  docs: {
    list: { summary: 'Your sessions: where and when each was used' },
    destroy: { summary: 'End one of your sessions' },
  },
})

/** The session routes, mounted at `/auth/sessions/`. */
export const sessionRouter = new Router().register('auth/sessions', sessionViewset)
