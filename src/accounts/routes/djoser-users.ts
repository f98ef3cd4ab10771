import { Type } from '@sinclair/typebox'
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'
import { literalLimit } from '../../framework/db/literal-limit.ts'
import { MethodNotAllowed, NotFound } from '../../framework/errors.ts'
import {
  pageAt,
  pageEnvelope,
  pageQuery,
  pageRequest,
  pageSchema,
} from '../../framework/resources/pagination.ts'
import { destroyUser, updateUser } from '../djoser/user-actions.ts'
import { DjoserUserSchema, userBody } from '../djoser/user-serializer.ts'
import { PASSWORD_THROTTLES } from '../login-throttle.ts'
import type { UserRow } from '../tables.ts'
import { userRowById } from '../user-changes.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// djoser's @action paths: `/users/{name}/` with another method is 405, as DRF's router answers.
const ACTION_PATHS = new Set([
  'set_password',
  'reset_password',
  'reset_password_confirm',
  'activation',
  'resend_activation',
])

const view = (action: string) => ({ view: { name: 'user', action } })
const one = { response: { 200: DjoserUserSchema.output } }

// What each method reads and says, for OpenAPI: a delete is confirmed with the password.
const documented = {
  GET: { summary: 'Show a user (yourself, unless you are staff)' },
  PUT: { summary: "Change a user's email", body: DjoserUserSchema.input },
  PATCH: { summary: "Change a user's email", body: Type.Partial(DjoserUserSchema.input) },
  DELETE: {
    summary: 'Delete a user and all they own',
    body: Type.Object({ current_password: Type.String() }),
  },
}

/** The requesting user's row (`/users/me/`); IsAuthenticated has run, so there is a user. */
export async function requester(request: FastifyRequest): Promise<UserRow> {
  const row = await userRowById(request.server.db, request.user!.id)
  // Deleted by a concurrent request: as gone as any other missing user.
  if (!row) throw new NotFound()
  return row
}

/**
 * The user a `/users/{id}/` URL names. HIDE_USERS: anyone but staff sees only themselves, and
 * another user's id answers 404 exactly like a missing one, so ids cannot be probed.
 */
async function userFromUrl(request: FastifyRequest): Promise<UserRow> {
  const { id } = request.params as { id: string }
  if (ACTION_PATHS.has(id)) throw new MethodNotAllowed(request.method)
  if (!UUID.test(id)) throw new NotFound()
  const self = request.user!
  if (!self.is_staff && id.toLowerCase() !== self.id) throw new NotFound()
  const row = await userRowById(request.server.db, id.toLowerCase())
  if (!row) throw new NotFound()
  return row
}

async function listUsers(request: FastifyRequest) {
  const requested = pageRequest(request)
  let query = request.server.db.selectFrom('users')
  // HIDE_USERS: the list is the requester alone unless they are staff.
  if (!request.user!.is_staff) query = query.where('id', '=', request.user!.id)
  const { count } = await query
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow()
  const page = pageAt(requested, Number(count))
  const rows = await query
    .select(['email', 'id', 'username'])
    .orderBy('date_joined')
    .orderBy('id')
    .limit(literalLimit(page.size))
    .offset(page.offset)
    .execute()
  return pageEnvelope(request, page, Number(count), rows.map(userBody))
}

/** djoser's UserViewSet without create: list, `/users/{id}/` and `/users/me/` (CurrentUserOrAdmin). */
export function djoserUserRoutes(app: FastifyInstance) {
  const page = { response: { 200: pageSchema(DjoserUserSchema.output) } }
  app.get(
    '/auth/users/',
    {
      config: {
        ...view('list'),
        summary: 'List users (yourself alone, unless you are staff)',
        query: Type.Object(pageQuery()),
      },
      schema: page,
    },
    listUsers,
  )

  for (const [url, load, name] of [
    ['/auth/users/me/', requester, 'me'],
    ['/auth/users/:id/', userFromUrl, ''],
  ] as const) {
    // djoser names every method of `me/` the action "me"; `{id}/` has the generic names. An
    // action's name in place of `{id}` (`set_password/` with PUT) answers 405, as DRF's router.
    const responses = name ? {} : { responses: { 405: null } }
    const action = (generic: string, method: keyof typeof documented): FastifyContextConfig => ({
      ...view(name || generic),
      ...documented[method],
      ...responses,
      loadObject: load,
    })
    app.get(url, { config: action('retrieve', 'GET'), schema: one }, async (q) =>
      userBody(await load(q)),
    )
    app.put(url, { config: action('update', 'PUT'), schema: one }, async (q) =>
      updateUser(q, await load(q), false),
    )
    app.patch(url, { config: action('partial_update', 'PATCH'), schema: one }, async (q) =>
      updateUser(q, await load(q), true),
    )
    // The delete takes the requester's current password: counted as a login of their account.
    const destroy = { ...action('destroy', 'DELETE'), throttles: PASSWORD_THROTTLES }
    app.delete(url, { config: destroy }, async (q, reply) => destroyUser(q, reply, await load(q)))
  }
}
