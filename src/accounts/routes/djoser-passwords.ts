import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { ValidationError } from '../../framework/errors.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { changePassword } from '../credentials/change-password.ts'
import { mailPasswordResetLink, sendPasswordChangedMail } from '../djoser/account-mails.ts'
import { validateWithCurrentPassword } from '../djoser/current-password.ts'
import { checkNewPassword, newPasswordField } from '../djoser/new-password.ts'
import { UidAndTokenFields, validateUidAndToken } from '../djoser/uid-and-token.ts'
import { PASSWORD_THROTTLES, RESET_CONFIRM_THROTTLES } from '../login-throttle.ts'
import { afterResponse } from '../mail/after-response.ts'
import { requester } from './djoser-users.ts'

const SetPassword = resourceSchema('password', { new_password: newPasswordField() })
const ResetRequest = resourceSchema('email', { email: f.email() })
const ResetConfirm = resourceSchema('password reset', {
  ...UidAndTokenFields,
  new_password: newPasswordField(),
})

// The set_password body as OpenAPI shows it: the new password and the current one.
const SetPasswordBody = resourceSchema('password', {
  new_password: newPasswordField(),
  current_password: f.string({ trim: false, style: { inputType: 'password' } }),
})

// Each answers 204 with no body when it succeeds.
const open = (action: string) => ({
  permissions: [AllowAny],
  view: { name: 'user', action },
  responses: { 204: null },
})
const signedIn = (action: string) => ({ view: { name: 'user', action }, responses: { 204: null } })

/** `set_password/`: the current password, then a new one that passes the validators. */
async function setPassword(request: FastifyRequest, reply: FastifyReply) {
  const data = await validateWithCurrentPassword(request, SetPassword, requestData(request))
  const user = await requester(request)
  checkNewPassword(data.new_password!, user)
  await changePassword(request, user.id, data.new_password!)
  await sendPasswordChangedMail(request, user, request.server.accountsSettings.djoser)
  return reply.code(204).send()
}

/** `reset_password/`: 204 whoever the email names, so the answer never tells who has an account. */
async function resetPassword(request: FastifyRequest, reply: FastifyReply) {
  const { email } = await ResetRequest.validate(requestData(request))
  // Looked up and mailed after the answer: the same answer, in the same time, for any address.
  afterResponse(request, reply, 'send the password reset mail', () =>
    mailPasswordResetLink(request, email!),
  )
  return reply.code(204).send()
}

/** `reset_password_confirm/`: a valid link sets the password, once (the hash changes with it). */
async function resetPasswordConfirm(request: FastifyRequest, reply: FastifyReply) {
  const data = requestData(request)
  const { new_password } = await ResetConfirm.validate(data)
  // djoser judges the password before the link (its serializer's password check runs first), as
  // no one's yet; then, here, against the account it turned out to be.
  checkNewPassword(new_password!, {})
  const user = await validateUidAndToken(
    request,
    data,
    'password_reset',
    request.server.accountsSettings.djoser,
  )
  checkNewPassword(new_password!, user)
  // Swapped only over the hash the link was checked against, so it works once even under a race;
  // last_login moves too, as djoser does: one more reason the link cannot be used again.
  const changed = await changePassword(request, user.id, new_password!, {
    loggedInAt: new Date(),
    onlyIfHashIs: user.password,
  })
  if (!changed) throw new ValidationError({ token: ['Invalid token for given user.'] })
  await sendPasswordChangedMail(request, user, request.server.accountsSettings.djoser)
  return reply.code(204).send()
}

/** djoser's password endpoints: set_password, reset_password, reset_password_confirm. */
export function djoserPasswordRoutes(app: FastifyInstance) {
  app.post(
    '/auth/users/set_password/',
    {
      config: {
        ...signedIn('set_password'),
        // Takes a password: counted in the login scope, per address and per account.
        throttles: PASSWORD_THROTTLES,
        summary: 'Change your password (other sessions and tokens end)',
        body: SetPasswordBody.input,
      },
    },
    setPassword,
  )
  app.post(
    '/auth/users/reset_password/',
    {
      config: {
        ...open('reset_password'),
        summary: 'Mail a password reset link (204 whether or not the address has an account)',
        body: ResetRequest.input,
      },
    },
    resetPassword,
  )
  app.post(
    '/auth/users/reset_password_confirm/',
    {
      config: {
        ...open('reset_password_confirm'),
        throttles: RESET_CONFIRM_THROTTLES,
        summary: "Set a new password with a reset link's uid and token",
        body: ResetConfirm.input,
      },
    },
    resetPasswordConfirm,
  )
}
