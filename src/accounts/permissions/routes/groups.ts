import { IsAdminUser } from '../../../framework/permissions/is-admin-user.ts'
import { Router } from '../../../framework/resources/router.ts'
import { viewset } from '../../../framework/resources/viewset.ts'
import { f, resourceSchema } from '../../../framework/schema/index.ts'
import '../tables.ts'
import { groupUser, groupUsers } from './group-members.ts'
import { groupPermissions } from './group-permissions.ts'

/** A group as the admin endpoints show it (Django's auth.Group). */
export const GroupSchema = resourceSchema('group', {
  id: f.integer({ readOnly: true }),
  name: f.string({ maxLength: 150, unique: true }),
})

/** `/auth/groups/`: staff manage groups, their members and their grants. */
export const groupViewset = viewset({
  basename: 'group',
  table: 'auth_groups',
  schema: GroupSchema,
  // Grants decide what everyone else may do: only staff may change them.
  permissions: [IsAdminUser],
  query: (db) => db.selectFrom('auth_groups').select(['auth_groups.id', 'auth_groups.name']),
  ordering: { fields: { name: 'auth_groups.name' }, default: ['auth_groups.name'] },
  search: ['auth_groups.name'],
  extraActions: { users: groupUsers, user: groupUser, permissions: groupPermissions },
})

/** The group routes, mounted at `/auth/groups/`. */
export const groupRouter = new Router().register('auth/groups', groupViewset)
