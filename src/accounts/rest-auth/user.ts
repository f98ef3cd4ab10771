import { type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requestData } from '../../framework/body.ts'
import { NotAuthenticated } from '../../framework/errors.ts'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { assertMayChangeUser } from '../permissions/user-authority.ts'
import { REST_AUTH } from './paths.ts'
import { requester } from './requester.ts'
import {
  UserDetailsSchema,
  uniqueExceptUser,
  updateUserDetails,
  userDetailsBody,
} from './user-details.ts'

const UserDetailsBody = Type.Object({
  pk: Type.String({ format: 'uuid' }),
  username: Type.String(),
  email: Type.String(),
  name: Type.String(),
})

async function update(request: FastifyRequest, partial: boolean) {
  const { db } = request.server
  const { id } = await requester(request)
  // The requester themselves, whom the rule always lets change: asked all the same, so every
  // route that changes a user goes through the one rule.
  await assertMayChangeUser(db, request.user!, id)
  const change = await UserDetailsSchema.validate(requestData(request), {
    partial,
    unique: uniqueExceptUser(db, id),
  })
  const user = await updateUserDetails(db, id, change)
  // Deleted meanwhile: no longer logged in.
  if (!user) throw new NotAuthenticated()
  return userDetailsBody(user)
}

/**
 * `GET/PUT/PATCH /rest-auth/user/`: the requester's `{"pk","username","email","name"}`;
 * username and email writable and unique, every other posted field ignored.
 */
export function userRoute(app: FastifyInstance) {
  const options = (action: string, summary: string, body?: TSchema) => ({
    config: {
      permissions: [IsAuthenticated],
      view: { name: 'rest-auth-user', action },
      summary,
      body,
    },
    schema: { response: { 200: UserDetailsBody } },
  })
  const full: TSchema = UserDetailsSchema.input
  const partial: TSchema = Type.Partial(UserDetailsSchema.input)
  app.get(`${REST_AUTH}/user/`, options('retrieve', 'Your details'), async (request) =>
    userDetailsBody(await requester(request)),
  )
  app.put(`${REST_AUTH}/user/`, options('update', 'Replace your details', full), (request) =>
    update(request, false),
  )
  app.patch(
    `${REST_AUTH}/user/`,
    options('partial_update', 'Change some of your details', partial),
    (request) => update(request, true),
  )
}
