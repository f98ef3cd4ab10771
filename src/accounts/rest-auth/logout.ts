import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { endSession, SESSION_COOKIE } from '../../framework/auth/session-scheme.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { revokeToken, type TokenRecord } from '../tokens.ts'
import { REST_AUTH } from './paths.ts'

function isTokenRecord(auth: unknown): auth is TokenRecord {
  return typeof auth === 'object' && auth !== null && typeof (auth as TokenRecord).id === 'string'
}

/**
 * `POST /rest-auth/logout/` → 200 `{"detail":"Successfully logged out."}`, anonymous too:
 * the token that sent it is revoked and the client's session ended. GET is not served (405).
 */
export function logoutRoute(app: FastifyInstance) {
  app.post(
    `${REST_AUTH}/logout/`,
    {
      config: {
        permissions: [AllowAny],
        view: { name: 'rest-auth', action: 'logout' },
        summary: 'Revoke the token that sends this request and end the session',
      },
      schema: { response: { 200: Type.Object({ detail: Type.String() }) } },
    },
    async (request, reply) => {
      // Only the credential that sent this request ends; the user's other devices stay in.
      if (request.authenticator?.name === 'token' && isTokenRecord(request.auth)) {
        await revokeToken(request.server.db, request.auth.id)
      }
      // No logout CSRF: a live session that authenticated this request passed SessionScheme's
      // CSRF check; a token or Basic header cannot be sent cross-site without a preflight.
      if (request.cookies?.[SESSION_COOKIE]) await endSession(request, reply)
      return { detail: 'Successfully logged out.' }
    },
  )
}
