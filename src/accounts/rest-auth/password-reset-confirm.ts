import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { ValidationError } from '../../framework/errors.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { changePassword } from '../credentials/change-password.ts'
import { decodeUid } from '../credentials/one-time-token.ts'
import { tokenIsValid } from '../djoser/uid-and-token.ts'
import { RESET_CONFIRM_THROTTLES } from '../login-throttle.ts'
import type { UserRow } from '../tables.ts'
import { userRowById } from '../user-changes.ts'
import { REST_AUTH } from './paths.ts'
import { checkNewPassword, newPasswordFields } from './set-password-form.ts'

// rest-auth 0.9.5's PasswordResetConfirmSerializer, fields in its order.
const PasswordResetConfirmInput = resourceSchema('password reset confirm', {
  ...newPasswordFields,
  uid: f.string(),
  token: f.string(),
})
// Typed as a plain schema: Fastify infers a route's config type, and TypeBox's is too deep.
const PasswordResetConfirmBody: TSchema = PasswordResetConfirmInput.input

// rest-auth's message for a bad uid and for a bad token alike.
const INVALID = ['Invalid value']

async function userForUid(request: FastifyRequest, uid: string): Promise<UserRow> {
  const id = decodeUid(uid)
  const user = id === null ? undefined : await userRowById(request.server.db, id)
  if (!user) throw new ValidationError({ uid: INVALID })
  return user
}

/**
 * `POST /rest-auth/password/reset/confirm/` `{"uid","token","new_password1","new_password2"}`
 * → 200; the link works once, and every session, token and refresh token of the user ends.
 */
export function passwordResetConfirmRoute(app: FastifyInstance) {
  app.post(
    `${REST_AUTH}/password/reset/confirm/`,
    {
      config: {
        permissions: [AllowAny],
        throttles: RESET_CONFIRM_THROTTLES,
        view: { name: 'rest-auth', action: 'password_reset' },
        summary: "Set a new password with a reset link's uid and token",
        body: PasswordResetConfirmBody,
      },
      schema: { response: { 200: Type.Object({ detail: Type.String() }) } },
    },
    async (request) => {
      const input = await PasswordResetConfirmInput.validate(requestData(request))
      // rest-auth's order: the uid, then the new password, then the token.
      const user = await userForUid(request, input.uid!)
      checkNewPassword(input.new_password1!, input.new_password2!, user)
      const settings = request.server.accountsSettings.djoser
      const valid = tokenIsValid(request, user, input.token!, 'password_reset', settings)
      // Swapped only if the hash the token was checked against is still there: single use; and
      // whoever had the old password, or had stolen a session, is out in the same commit.
      const replaced =
        valid &&
        (await changePassword(request, user.id, input.new_password2!, {
          onlyIfHashIs: user.password,
        }))
      if (!replaced) throw new ValidationError({ token: INVALID })
      return { detail: 'Password has been reset with the new password.' }
    },
  )
}
