import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { resourceSchema } from '../../framework/schema/index.ts'
import { changePassword } from '../credentials/change-password.ts'
import { PASSWORD_THROTTLES } from '../login-throttle.ts'
import { REST_AUTH } from './paths.ts'
import { requester } from './requester.ts'
import { checkNewPassword, newPasswordFields } from './set-password-form.ts'

// rest-auth 0.9.5's PasswordChangeSerializer without OLD_PASSWORD_FIELD_ENABLED.
const PasswordChangeInput = resourceSchema('password change', newPasswordFields)
// Typed as a plain schema: Fastify infers a route's config type, and TypeBox's is too deep.
const PasswordChangeBody: TSchema = PasswordChangeInput.input

/**
 * `POST /rest-auth/password/change/` `{"new_password1","new_password2"}` → 200; the user's
 * other sessions, tokens and refresh tokens end, the credential that sent it stays valid.
 */
export function passwordChangeRoute(app: FastifyInstance) {
  app.post(
    `${REST_AUTH}/password/change/`,
    {
      config: {
        permissions: [IsAuthenticated],
        throttles: PASSWORD_THROTTLES,
        view: { name: 'rest-auth', action: 'password' },
        summary: 'Change your password (your other sessions and tokens end)',
        body: PasswordChangeBody,
      },
      schema: { response: { 200: Type.Object({ detail: Type.String() }) } },
    },
    async (request) => {
      const { new_password1, new_password2 } = await PasswordChangeInput.validate(
        requestData(request),
      )
      const user = await requester(request)
      checkNewPassword(new_password1!, new_password2!, user)
      // Whoever held the old password (a stolen session or token) is shut out in the same commit.
      await changePassword(request, user.id, new_password2!)
      return { detail: 'New password has been saved.' }
    },
  )
}
