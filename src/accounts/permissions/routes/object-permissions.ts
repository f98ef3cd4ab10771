import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { sql, type Transaction } from 'kysely'
import type { Tables } from '../../../framework/db/tables.ts'
import { ValidationError } from '../../../framework/errors.ts'
import { CODENAME, OBJECT_TYPE } from '../../../framework/permissions/codenames.ts'
import { IsAdminUser } from '../../../framework/permissions/is-admin-user.ts'
import { queryParam } from '../../../framework/resources/query-param.ts'
import { Router } from '../../../framework/resources/router.ts'
import { type RowQuery, viewset } from '../../../framework/resources/viewset.ts'
import { f, resourceSchema } from '../../../framework/schema/index.ts'
import '../tables.ts'
import { assertMayChangeUser, assertMayGrantOnObject } from '../user-authority.ts'

/** One object permission as staff see it (django-guardian's UserObjectPermission/Group…). */
export const ObjectPermissionSchema = resourceSchema('object permission', {
  id: f.integer({ readOnly: true }),
  codename: f.string({
    maxLength: 255,
    validators: [(v) => (CODENAME.test(v) ? null : 'Enter a codename like app.action_model.')],
  }),
  object_type: f.string({
    maxLength: 255,
    validators: [(v) => (OBJECT_TYPE.test(v) ? null : 'Enter an object type like app.model.')],
  }),
  object_id: f.string({ maxLength: 255 }),
  user_id: f.uuid({ nullable: true, required: false }),
  group_id: f.integer({ nullable: true, required: false }),
})

type Grant = {
  codename?: string
  object_type?: string
  object_id?: string
  user_id?: string | null
  group_id?: number | null
}

// Exactly one holder, and it must exist: a grant to nobody would silently do nothing. The granter
// must hold what they give, and may change the user they give it to.
async function checkedGrant(request: FastifyRequest, data: Grant, trx: Transaction<Tables>) {
  const { user_id = null, group_id = null } = data
  if ((user_id === null) === (group_id === null)) {
    throw new ValidationError({ non_field_errors: ['Name exactly one of user_id and group_id.'] })
  }
  const holder =
    user_id !== null
      ? await trx.selectFrom('users').select('id').where('id', '=', user_id).executeTakeFirst()
      : await trx
          .selectFrom('auth_groups')
          .select('id')
          .where('id', '=', group_id as number)
          .executeTakeFirst()
  if (!holder) {
    const field = user_id !== null ? 'user_id' : 'group_id'
    const pk = user_id ?? group_id
    throw new ValidationError({ [field]: [`Invalid pk "${pk}" - object does not exist.`] })
  }
  if (user_id !== null) await assertMayChangeUser(trx, request.user!, user_id)
  await assertMayGrantOnObject(trx, request.user!, {
    codename: data.codename as string,
    objectType: data.object_type as string,
    objectId: data.object_id as string,
  })
  let same = trx
    .selectFrom('auth_object_permissions')
    .select('id')
    .where('codename', '=', data.codename as string)
    .where('object_type', '=', data.object_type as string)
    .where('object_id', '=', data.object_id as string)
  same =
    user_id !== null
      ? same.where('user_id', '=', user_id)
      : same.where('group_id', '=', group_id as number)
  if (await same.executeTakeFirst()) {
    throw new ValidationError({ non_field_errors: ['This permission is already granted.'] })
  }
  return { ...data, user_id, group_id }
}

// `?object_type=`, `?object_id=`, `?codename=`, `?user_id=`, `?group_id=` narrow the list.
function filtered<Row>(request: FastifyRequest, query: RowQuery<Row>): RowQuery<Row> {
  let narrowed = query
  for (const column of ['object_type', 'object_id', 'codename', 'user_id', 'group_id']) {
    const value = queryParam(request, column)
    if (value === undefined) continue
    // A group id that is no integer names no group, and a text with U+0000 nothing stored (neither
    // must reach PostgreSQL, which refuses both).
    if (column === 'group_id' && !/^\d{1,15}$/.test(value)) return query.where(sql<boolean>`1 = 0`)
    if (value.includes('\0')) return query.where(sql<boolean>`1 = 0`)
    const typed = column === 'group_id' ? Number(value) : value
    narrowed = narrowed.where(`auth_object_permissions.${column}`, '=', typed)
  }
  return narrowed
}

/** `/auth/object-permissions/`: staff grant and revoke permissions on single objects. */
export const objectPermissionViewset = viewset({
  basename: 'object-permission',
  table: 'auth_object_permissions',
  schema: ObjectPermissionSchema,
  // Grants decide what everyone else may do: only staff may change them.
  permissions: [IsAdminUser],
  actions: ['list', 'create', 'retrieve', 'destroy'],
  query: (db) =>
    db
      .selectFrom('auth_object_permissions')
      .select([
        'auth_object_permissions.id',
        'auth_object_permissions.codename',
        'auth_object_permissions.object_type',
        'auth_object_permissions.object_id',
        'auth_object_permissions.user_id',
        'auth_object_permissions.group_id',
      ]),
  perRequestQuery: filtered,
  filters: Object.fromEntries(
    ['object_type', 'object_id', 'codename', 'user_id', 'group_id'].map((name) => [
      name,
      Type.String({ description: `Only grants with this ${name}.` }),
    ]),
  ),
  performCreate: (request, data, trx) => checkedGrant(request, data, trx),
  // Taking a grant back from a user changes them: the same rule as giving one.
  async performDestroy(request, obj, trx) {
    if (typeof obj.user_id === 'string') await assertMayChangeUser(trx, request.user!, obj.user_id)
    await trx
      .deleteFrom('auth_object_permissions')
      .where('id', '=', obj.id as number)
      .execute()
  },
  ordering: { fields: {}, default: ['auth_object_permissions.id'] },
})

/** The object permission routes, mounted at `/auth/object-permissions/`. */
export const objectPermissionRouter = new Router().register(
  'auth/object-permissions',
  objectPermissionViewset,
)
