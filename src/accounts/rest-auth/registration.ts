import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { refuseCrossSite } from '../../framework/auth/csrf.ts'
import { requestData } from '../../framework/body.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { mailNewAccountActivation } from '../djoser/account-mails.ts'
import { createUser } from '../users.ts'
import { logIn } from './log-in.ts'
import { REST_AUTH } from './paths.ts'
import {
  RegistrationInput,
  validateRegistration,
  withAllauthMessages,
} from './registration-input.ts'

const Registered = Type.Union([
  Type.Object({ key: Type.String() }),
  Type.Object({ detail: Type.String() }),
])
// Typed as a plain schema: Fastify infers a route's config type, and TypeBox's is too deep.
const RegistrationBody: TSchema = RegistrationInput.input

/**
 * `POST /rest-auth/registration/` `{"username","email","password1","password2"}` → 201
 * `{"key"}` and a session, as the login endpoint gives. With SEND_ACTIVATION_EMAIL=1 the account
 * stays inactive until djoser's activation link is followed: 201 `{"detail"}`, no login.
 */
export function registrationRoute(app: FastifyInstance) {
  app.post(
    `${REST_AUTH}/registration/`,
    {
      config: {
        permissions: [AllowAny],
        view: { name: 'rest-auth', action: 'register' },
        summary: 'Register, and log in unless the address must be verified first',
        body: RegistrationBody,
      },
      schema: { response: { 201: Registered } },
    },
    async (request, reply) => {
      const settings = request.server.accountsSettings.djoser
      // Activation on: nobody logs in as an address they have not shown they read.
      const isActive = !settings.sendActivationEmail
      // It logs the new user in: another site must not create an account and log a browser in.
      if (isActive) refuseCrossSite(request)
      const data = await validateRegistration(request.server.db, requestData(request))
      const user = await createUser(request.server.db, { ...data, is_active: isActive }).catch(
        (err: unknown) => {
          throw withAllauthMessages(err)
        },
      )
      if (isActive) return reply.code(201).send({ key: await logIn(request, reply, user) })
      await mailNewAccountActivation(request, user.id, settings)
      // dj-rest-auth's answer under ACCOUNT_EMAIL_VERIFICATION = "mandatory".
      return reply.code(201).send({ detail: 'Verification e-mail sent.' })
    },
  )
}
