import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { ValidationError } from '../../framework/errors.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { LOGIN_THROTTLES } from '../login-throttle.ts'
import { checkCredentials } from '../user-backend.ts'
import { logIn } from './log-in.ts'
import { REST_AUTH } from './paths.ts'

// rest-auth 0.9.5's LoginSerializer: username and email optional, the password required.
const LoginInput = resourceSchema('login', {
  username: f.string({ required: false, allowBlank: true }),
  email: f.email({ required: false, allowBlank: true }),
  password: f.string({ trim: false, style: { inputType: 'password' } }),
})
// Typed as a plain schema: Fastify infers a route's config type, and TypeBox's is too deep.
const LoginBody: TSchema = LoginInput.input

const INCOMPLETE = 'Must include either "username" or "email" and "password".'
const INVALID = 'Unable to log in with provided credentials.'

// The login name and password of a rest-auth login body (allauth's username_email method).
async function loginCredentials(data: unknown) {
  const { username, email, password } = await LoginInput.validate(data)
  // The email wins when both are sent, as in _validate_username_email.
  const login = email || username
  if (!login || !password) throw new ValidationError({ non_field_errors: [INCOMPLETE] })
  return { login, password }
}

/**
 * `POST /rest-auth/login/`: `{"username"|"email","password"}` (an email in `username` works
 * too) → 200 `{"key"}` and a session cookie; bad credentials → 400 non_field_errors.
 */
export function loginRoute(app: FastifyInstance) {
  app.post(
    `${REST_AUTH}/login/`,
    {
      config: {
        permissions: [AllowAny],
        throttles: LOGIN_THROTTLES,
        view: { name: 'rest-auth', action: 'login' },
        summary: 'Log in for a token key and a session (username or email, and password)',
        body: LoginBody,
      },
      schema: { response: { 200: Type.Object({ key: Type.String() }) } },
    },
    async (request, reply) => {
      const { login, password } = await loginCredentials(requestData(request))
      // Unknown users cost a hash too, and inactive ones are refused after it: no enumeration.
      const user = await checkCredentials(request.server.db, login, password)
      if (!user) throw new ValidationError({ non_field_errors: [INVALID] })
      return { key: await logIn(request, reply, user) }
    },
  )
}
