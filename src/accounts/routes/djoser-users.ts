import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { NotFound } from '../../framework/errors.ts'
import { IsAuthenticated } from '../../framework/permissions/is-authenticated.ts'
import { Router } from '../../framework/resources/router.ts'
import { action, viewset } from '../../framework/resources/viewset.ts'
import { destroyUser, updateUser } from '../djoser/user-actions.ts'
import { DjoserUserSchema, userBody } from '../djoser/user-serializer.ts'
import { PASSWORD_THROTTLES } from '../login-throttle.ts'
import type { UserRow } from '../tables.ts'
import { userRowById } from '../user-changes.ts'

/** The requesting user's row (`/users/me/`); IsAuthenticated has run, so there is a user. */
export async function requester(request: FastifyRequest): Promise<UserRow> {
  const row = await userRowById(request.server.db, request.user!.id)
  // Deleted by a concurrent request: as gone as any other missing user.
  if (!row) throw new NotFound()
  return row
}

// What each method reads and says, for OpenAPI: a delete is confirmed with the password.
const show = { summary: 'Show a user (yourself, unless you are staff)' }
const replace = { summary: "Change a user's email", body: DjoserUserSchema.input }
const change = { summary: "Change a user's email", body: Type.Partial(DjoserUserSchema.input) }
const remove = {
  summary: 'Delete a user and all they own',
  body: Type.Object({ current_password: Type.String() }),
}
// `/users/{id}/` also fits djoser's action paths (`set_password/`): a method they lack is 405.
const actionPath = { responses: { 405: null } }
const one = { 200: DjoserUserSchema.output }

/** A user as the list and `/users/{id}/` load it. */
type ShownUser = Pick<UserRow, 'email' | 'id' | 'username'>

/**
 * djoser's UserViewSet without create (registration is its own route: a password to validate,
 * an activation mail, another answer): the list, `/users/{id}/` and `/users/me/`.
 */
export const djoserUserViewset = viewset<typeof DjoserUserSchema.fields, ShownUser>({
  basename: 'user',
  table: 'users',
  schema: DjoserUserSchema,
  lookupParam: 'id',
  actions: ['list', 'retrieve', 'update', 'partial_update', 'destroy'],
  query: (db) => db.selectFrom('users').select(['users.email', 'users.id', 'users.username']),
  // djoser's PERMISSIONS (user_list, user, user_delete: CurrentUserOrAdmin and its read-only
  // twin): signed in; whose object, HIDE_USERS' scope below decides.
  permissions: [IsAuthenticated],
  // HIDE_USERS: anyone but staff sees only themselves, and another user's id answers 404 exactly
  // like a missing one, so ids cannot be probed.
  scope: (request) => (request.user!.is_staff ? null : { 'users.id': request.user!.id }),
  ordering: { fields: {}, default: ['users.date_joined', 'users.id'] },
  // The delete takes the requester's current password: counted as a login of their account.
  policies: { destroy: { throttles: PASSWORD_THROTTLES } },
  // djoser's update and destroy: staff change only those who hold nothing they lack, an email
  // change may need activation again, and a delete is confirmed with the current password.
  handlers: {
    update: async (request, _reply, { getObject }) => updateUser(request, await getObject(), false),
    partial_update: async (request, _reply, { getObject }) =>
      updateUser(request, await getObject(), true),
    destroy: async (request, reply, { getObject }) =>
      destroyUser(request, reply, await getObject()),
  },
  docs: {
    list: { summary: 'List users (yourself alone, unless you are staff)' },
    retrieve: { ...show, ...actionPath },
    update: { ...replace, ...actionPath },
    partial_update: { ...change, ...actionPath },
    destroy: { ...remove, ...actionPath },
  },
  extraActions: {
    // djoser names every method of `me/` the action "me".
    me: action<ShownUser>({
      detail: false,
      methods: ['GET', 'PUT', 'PATCH', 'DELETE'],
      ...show,
      responses: one,
      handler: async (request) => userBody(await requester(request)),
      mapping: {
        PUT: {
          ...replace,
          responses: one,
          handler: async (request) => updateUser(request, await requester(request), false),
        },
        PATCH: {
          ...change,
          responses: one,
          handler: async (request) => updateUser(request, await requester(request), true),
        },
        DELETE: {
          ...remove,
          responses: { 204: null },
          throttles: PASSWORD_THROTTLES,
          handler: async (request, reply) => destroyUser(request, reply, await requester(request)),
        },
      },
    }),
  },
})

/** djoser's user routes: `/auth/users/`, `/auth/users/{id}/` and `/auth/users/me/`. */
export const djoserUserRouter = new Router().register('auth/users', djoserUserViewset)
