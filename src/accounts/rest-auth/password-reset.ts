import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { mailPasswordResetLink } from '../djoser/account-mails.ts'
import { afterResponse } from '../mail/after-response.ts'
import { REST_AUTH } from './paths.ts'

// rest-auth 0.9.5's PasswordResetSerializer: one email, validated as Django's form does.
const PasswordResetInput = resourceSchema('password reset', { email: f.email() })
// Typed as a plain schema: Fastify infers a route's config type, and TypeBox's is too deep.
const PasswordResetBody: TSchema = PasswordResetInput.input

/**
 * `POST /rest-auth/password/reset/` `{"email"}` → 200 whether or not an account has that
 * email; an active one is mailed the same reset link djoser mails.
 */
export function passwordResetRoute(app: FastifyInstance) {
  app.post(
    `${REST_AUTH}/password/reset/`,
    {
      config: {
        permissions: [AllowAny],
        view: { name: 'rest-auth', action: 'password_reset' },
        summary: 'Mail a password reset link (200 whether or not the address has an account)',
        body: PasswordResetBody,
      },
      schema: { response: { 200: Type.Object({ detail: Type.String() }) } },
    },
    async (request, reply) => {
      const { email } = await PasswordResetInput.validate(requestData(request))
      // Looked up and mailed after the answer: its time, like its body, is the same for any
      // address (a mail server's delay or failure too).
      afterResponse(request, reply, 'send a password reset mail', () =>
        mailPasswordResetLink(request, email!),
      )
      return { detail: 'Password reset e-mail has been sent.' }
    },
  )
}
