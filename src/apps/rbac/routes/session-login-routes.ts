import { Type } from '@sinclair/typebox'
import type { FastifyContextConfig, FastifyInstance } from 'fastify'
import {
  AllowAny,
  AuthenticationFailed,
  endSession,
  f,
  IsAuthenticated,
  requestData,
  resourceSchema,
} from 'portcullis'
import { LOGIN_THROTTLES, logInWithSession } from 'portcullis/accounts'

const Credentials = resourceSchema('credentials', {
  email: f.string(),
  password: f.string({ trim: false, style: { inputType: 'password' } }),
})

/** The user as the single-page app sees it. */
const UserBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  email: Type.String(),
  name: Type.String(),
})

/**
 * JSON session login for single-page apps (API.md §8): `POST auth/login` with
 * `{"email","password"}` (a username works too) → 200 and the user, with a `sessionid` cookie;
 * bad credentials → 401 and no cookie. `POST auth/logout` → 204. `GET users/me`.
 */
export function sessionLoginRoutes(app: FastifyInstance) {
  const login: FastifyContextConfig = {
    permissions: [AllowAny],
    throttles: LOGIN_THROTTLES,
    view: { name: 'login', action: 'login' },
    summary: 'Log in with a session cookie (email or username, and password)',
    body: Credentials.input,
    // Bad credentials: 401, with no cookie.
    responses: { 401: null },
  }
  app.post(
    '/auth/login',
    {
      config: login,
      schema: { response: { 200: UserBody } },
    },
    async (request, reply) => {
      const { email, password } = await Credentials.validate(requestData(request))
      const user = await logInWithSession(request, reply, email!, password!)
      if (!user) {
        const err = new AuthenticationFailed()
        err.headers['www-authenticate'] = 'Basic realm="api"'
        throw err
      }
      return user
    },
  )

  app.post(
    '/auth/logout',
    {
      config: {
        permissions: [IsAuthenticated],
        view: { name: 'logout', action: 'logout' },
        summary: 'End the session',
        responses: { 204: null },
      },
    },
    async (request, reply) => {
      await endSession(request, reply)
      return reply.code(204).send()
    },
  )

  app.get(
    '/users/me',
    {
      config: {
        permissions: [IsAuthenticated],
        view: { name: 'user', action: 'retrieve' },
        summary: 'The logged-in user',
      },
      schema: { response: { 200: UserBody } },
    },
    async (request) => request.server.users.userById(request.user!.id),
  )
}
