import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { requestData } from '../../../framework/body.ts'
import { NotFound, ValidationError } from '../../../framework/errors.ts'
import { action } from '../../../framework/resources/viewset.ts'
import { addMember, removeMember } from '../grants.ts'
import { assertMayChangeMembership, assertMayChangeUser } from '../user-authority.ts'

/** A group as its routes load it. */
export interface GroupRow extends Record<string, unknown> {
  id: number
  name: string
}

// A group's members as `{id, username}`, by username.
async function membersOf(request: FastifyRequest, groupId: number) {
  return request.server.db
    .selectFrom('auth_user_groups')
    .innerJoin('users', 'users.id', 'auth_user_groups.user_id')
    .select(['users.id', 'users.username'])
    .where('auth_user_groups.group_id', '=', groupId)
    .orderBy('users.username')
    .execute()
}

async function userNamed(request: FastifyRequest) {
  const { user_id } = requestData(request) as { user_id?: unknown }
  if (user_id === undefined) throw new ValidationError({ user_id: ['This field is required.'] })
  const user =
    typeof user_id === 'string'
      ? await request.server.db
          .selectFrom('users')
          .select(['id', 'username'])
          .where('id', '=', user_id)
          .executeTakeFirst()
      : undefined
  if (!user) {
    throw new ValidationError({
      user_id: [`Invalid pk "${String(user_id)}" - object does not exist.`],
    })
  }
  return user
}

const Member = Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() })

/** `GET/POST /groups/{id}/users/`: the members, and `{"user_id"}` to add one (201). */
export const groupUsers = action<GroupRow>({
  detail: true,
  methods: ['GET', 'POST'],
  summary: "A group's members; POST adds one",
  body: Type.Object({ user_id: Type.String({ format: 'uuid' }) }),
  responses: { 200: Type.Array(Member), 201: Member },
  async handler(request, reply, { getObject }) {
    const group = await getObject()
    if (request.method === 'GET') return membersOf(request, group.id)
    const user = await userNamed(request)
    await assertMayChangeMembership(request.server.db, request.user!, group.id, user.id)
    await addMember(request.server.db, group.id, user.id)
    reply.code(201)
    return user
  },
})

/** `DELETE /groups/{id}/users/{user_id}/`: take a member out (204); a non-member is 404. */
export const groupUser = action<GroupRow>({
  detail: true,
  methods: ['DELETE'],
  path: 'users/:user_id',
  summary: 'Take a member out of a group',
  async handler(request, reply, { getObject }) {
    const group = await getObject()
    const { user_id } = request.params as { user_id: string }
    await assertMayChangeUser(request.server.db, request.user!, user_id)
    if (!(await removeMember(request.server.db, group.id, user_id))) throw new NotFound()
    return reply.code(204).send()
  },
})
