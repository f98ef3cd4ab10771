import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { PermissionDenied, ValidationError } from '../../framework/errors.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { f, resourceSchema } from '../../framework/schema/index.ts'
import { mailActivationLinkAgain } from '../djoser/account-mails.ts'
import {
  INVALID_TOKEN,
  tokenIsValid,
  UidAndTokenFields,
  userForUid,
} from '../djoser/uid-and-token.ts'
import { afterResponse } from '../mail/after-response.ts'
import { activateUser } from '../user-changes.ts'

const STALE_TOKEN = 'Stale token for given user.'

const Activation = resourceSchema('activation', UidAndTokenFields)
const ResendRequest = resourceSchema('email', { email: f.email() })

// 204 with no body when done; a used activation link is 403 ("stale").
const open = (action: string) => ({
  permissions: [AllowAny],
  view: { name: 'user', action },
  responses: { 204: null, 403: null },
})

/**
 * `activation/`: a good link activates the account (204). The token is bound to the inactive
 * state, so once active it no longer checks; djoser answers that case 403 "stale", which is
 * told apart from a bad token by checking it against the account as it was.
 */
async function activate(request: FastifyRequest, reply: FastifyReply) {
  const { uid, token } = await Activation.validate(requestData(request))
  const settings = request.server.accountsSettings.djoser
  const user = await userForUid(request, uid!)
  const asIssued = { ...user, is_active: false }
  if (!tokenIsValid(request, asIssued, token!, 'activation', settings)) {
    throw new ValidationError({ token: [INVALID_TOKEN] })
  }
  // Conditional on still being inactive: of two racing requests, one activates, one is stale.
  if (user.is_active || !(await activateUser(request.server.db, user.id))) {
    throw new PermissionDenied(STALE_TOKEN)
  }
  return reply.code(204).send()
}

/**
 * `resend_activation/`: 204 for any well-formed email, and a new link for an inactive account.
 * djoser answers 400 for an address without an inactive account (and for every address while
 * activation is off): that tells who has an account, which API.md rules out.
 */
async function resendActivation(request: FastifyRequest, reply: FastifyReply) {
  const { email } = await ResendRequest.validate(requestData(request))
  const settings = request.server.accountsSettings.djoser
  if (settings.sendActivationEmail) {
    // Looked up and mailed after the answer: the same answer, in the same time, for any address.
    afterResponse(request, reply, 'send the activation mail', () =>
      mailActivationLinkAgain(request, email!, settings),
    )
  }
  return reply.code(204).send()
}

/** djoser's activation endpoints: activation and resend_activation. */
export function djoserActivationRoutes(app: FastifyInstance) {
  app.post(
    '/auth/users/activation/',
    {
      config: {
        ...open('activation'),
        summary: "Activate an account with the mailed link's uid and token",
        body: Activation.input,
      },
    },
    activate,
  )
  app.post(
    '/auth/users/resend_activation/',
    {
      config: {
        ...open('resend_activation'),
        summary: 'Mail a new activation link to an inactive account',
        body: ResendRequest.input,
      },
    },
    resendActivation,
  )
}
