import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { sendActivationMail } from '../djoser/account-mails.ts'
import { type DjoserSettings, djoserSettings } from '../djoser/djoser-settings.ts'
import { userRowById } from '../user-changes.ts'
import { createUser, validateNewUser } from '../users.ts'

const Created = Type.Object({
  email: Type.String(),
  username: Type.String(),
  id: Type.String({ format: 'uuid' }),
})

// The account exists whatever happens to the mail: a failure is logged, and resend_activation
// sends the link again, rather than a 500 that makes the client retry into "already exists".
async function mailActivation(request: FastifyRequest, userId: string, settings: DjoserSettings) {
  const row = await userRowById(request.server.db, userId)
  if (!row) return
  await sendActivationMail(request, row, settings).catch((err) =>
    request.log.error({ err }, 'could not send the activation mail'),
  )
}

/** `POST /api/auth/users/`: djoser's registration; 201 `{"email","username","id"}`. */
export function registrationRoutes(app: FastifyInstance) {
  app.post(
    '/api/auth/users/',
    {
      config: { permissions: [AllowAny], view: { name: 'user', action: 'create' } },
      schema: { response: { 201: Created } },
    },
    async (request, reply) => {
      const data = await validateNewUser(request.server.db, requestData(request))
      const settings = djoserSettings()
      // With activation on, the account stays inactive until the mailed link is followed.
      const active = !settings.sendActivationEmail
      const user = await createUser(request.server.db, { ...data, is_active: active })
      if (!active) await mailActivation(request, user.id, settings)
      return reply.code(201).send(user)
    },
  )
}
