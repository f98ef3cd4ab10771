import { Type } from '@sinclair/typebox'
import type { FastifyContextConfig, FastifyInstance } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { AllowAny } from '../../framework/permissions/allow-any.ts'
import { mailNewAccountActivation } from '../djoser/account-mails.ts'
import { createUser, NewUserSchema, validateNewUser } from '../users.ts'

const Created = Type.Object({
  email: Type.String(),
  username: Type.String(),
  id: Type.String({ format: 'uuid' }),
})

const config: FastifyContextConfig = {
  permissions: [AllowAny],
  view: { name: 'user', action: 'create' },
  summary: 'Register a user (djoser); inactive until activated when activation is on',
  body: NewUserSchema.input,
}

/** `POST /auth/users/`: djoser's registration; 201 `{"email","username","id"}`. */
export function registrationRoutes(app: FastifyInstance) {
  app.post(
    '/auth/users/',
    {
      config,
      schema: { response: { 201: Created } },
    },
    async (request, reply) => {
      const data = await validateNewUser(request.server.db, requestData(request))
      const settings = request.server.accountsSettings.djoser
      // With activation on, the account stays inactive until the mailed link is followed.
      const active = !settings.sendActivationEmail
      const user = await createUser(request.server.db, { ...data, is_active: active })
      if (!active) await mailNewAccountActivation(request, user.id, settings)
      return reply.code(201).send(user)
    },
  )
}
