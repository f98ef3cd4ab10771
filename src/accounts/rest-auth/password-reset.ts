import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { sendPasswordResetMail } from '../djoser/account-mails.ts'
import { djoserSettings } from '../djoser/djoser-settings.ts'
import { hasUsablePassword, userRowByEmail } from '../user-changes.ts'
import { REST_AUTH } from './paths.ts'

// rest-auth 0.9.5's PasswordResetSerializer: one email, validated as Django's form does.
const PasswordResetInput = resourceSchema('password reset', { email: f.email() })
// Typed as a plain schema: Fastify infers a route's config type, and TypeBox's is too deep.
const PasswordResetBody: TSchema = PasswordResetInput.input

// Django's PasswordResetForm.get_users: only an active account that can log in gets a link.
async function mailResetLink(request: FastifyRequest, email: string) {
  const user = await userRowByEmail(request.server.db, email)
  if (!user?.is_active || !hasUsablePassword(user)) return
  await sendPasswordResetMail(request, user, djoserSettings())
}

/**
 * `POST /api/rest-auth/password/reset/` `{"email"}` → 200 whether or not an account has that
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
    async (request) => {
      const { email } = await PasswordResetInput.validate(requestData(request))
      // Not awaited: the answer must not wait for a mail that only existing accounts get, or
      // its timing (and a mail server's failure) would tell who has an account.
      mailResetLink(request, email!).catch((err: unknown) => {
        request.log.error({ err }, 'could not send a password reset mail')
      })
      return { detail: 'Password reset e-mail has been sent.' }
    },
  )
}
