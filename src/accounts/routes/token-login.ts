import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { TokenScheme } from '../../framework/auth/token-scheme.ts'
import { requestData } from '../../framework/body.ts'
import { ValidationError } from '../../framework/errors.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { LOGIN_THROTTLES } from '../login-throttle.ts'
import { mintLoginToken } from '../login-token.ts'
import { revokeToken, revokeUserTokens, type TokenRecord } from '../tokens.ts'
import { checkCredentials } from '../user-backend.ts'
import { touchLastLogin } from '../users.ts'

const INVALID = 'Unable to log in with provided credentials.'

// DRF's AuthTokenSerializer: both fields required and not blank; the password kept as typed.
const Credentials = resourceSchema('credentials', {
  username: f.string(),
  password: f.string({ trim: false, style: { inputType: 'password' } }),
})
// Typed as a plain schema: Fastify infers a route's config type, and TypeBox's is too deep.
const CredentialsBody: TSchema = Credentials.input

// djoser's TokenCreateSerializer: both fields optional but checked as CharFields (blank, null,
// type, null characters: each its field's message); a missing one is the login's own error. The
// password is judged blank as DRF trims it, but tried as typed. The password comes first, as in
// djoser (its errors are listed in that order).
const DjoserCredentials = resourceSchema('credentials', {
  password: f.string({
    required: false,
    trim: false,
    style: { inputType: 'password' },
    validators: [(s) => (s.trim() === '' ? 'This field may not be blank.' : null)],
  }),
  username: f.string({ required: false }),
})

async function login(request: FastifyRequest, username: string, password: string) {
  const user = await checkCredentials(request.server.db, username, password)
  if (!user) throw new ValidationError({ non_field_errors: [INVALID] })
  // The token first: a login refused at the token limit is no login, and records none.
  const key = await mintLoginToken(request, user.id)
  await touchLastLogin(request.server.db, user.id)
  return key
}

/**
 * DRF's obtain_auth_token at the plugin's prefix itself (the reference server's `/get-token/`):
 * `{"username","password"}` → `{"token"}`.
 */
export function obtainTokenRoute(app: FastifyInstance) {
  app.post(
    '/',
    {
      config: {
        authentication: [],
        permissions: [AllowAny],
        throttles: LOGIN_THROTTLES,
        view: { name: 'token', action: 'create' },
        summary: 'Log in for an API token (DRF obtain_auth_token)',
        body: CredentialsBody,
      },
      schema: { response: { 200: Type.Object({ token: Type.String() }) } },
      // The prefix with its slash only, as DRF's URL pattern: `/get-token/`, not `/get-token`.
      prefixTrailingSlash: 'slash',
    },
    async (request) => {
      const { username, password } = await Credentials.validate(requestData(request))
      return { token: await login(request, username!, password!) }
    },
  )
}

/**
 * djoser's `auth/token/login/` (an API token for a login) and `auth/token/logout/`, and knox's
 * `auth/token/logoutall/`.
 */
export function djoserTokenRoutes(app: FastifyInstance) {
  app.post(
    '/auth/token/login/',
    {
      config: {
        permissions: [AllowAny],
        throttles: LOGIN_THROTTLES,
        view: { name: 'token', action: 'login' },
        summary: 'Log in for an API token (djoser)',
        body: CredentialsBody,
      },
      schema: { response: { 200: Type.Object({ auth_token: Type.String() }) } },
    },
    async (request) => {
      const { username, password } = await DjoserCredentials.validate(requestData(request))
      // djoser answers an incomplete login with the same non-field error as a wrong one.
      if (!username || !password) throw new ValidationError({ non_field_errors: [INVALID] })
      return { auth_token: await login(request, username, password) }
    },
  )

  app.post(
    '/auth/token/logout/',
    {
      config: {
        permissions: [IsAuthenticated],
        view: { name: 'token', action: 'logout' },
        summary: 'Revoke the token that sends this request',
        responses: { 204: null },
      },
    },
    async (request, reply) => {
      // Only the token that sent this request is revoked; the user's other devices stay in.
      const token = request.auth as TokenRecord | null
      if (token && typeof token.id === 'string') await revokeToken(request.server.db, token.id)
      return reply.code(204).send()
    },
  )

  app.post(
    '/auth/token/logoutall/',
    {
      config: {
        // knox's LogoutAllView authenticates by token alone: the request comes from one of the
        // devices it logs out.
        authentication: [TokenScheme],
        permissions: [IsAuthenticated],
        view: { name: 'token', action: 'logoutall' },
        summary: "Revoke every token of the requester (knox's logoutall)",
        responses: { 204: null },
      },
    },
    async (request, reply) => {
      // Every token, this one included; sessions and JWTs are left as they are, as knox does.
      await revokeUserTokens(request.server.db, request.user!.id)
      return reply.code(204).send()
    },
  )
}
