import { sql } from 'kysely'
import type { Database } from '../../framework/db/database.ts'
import type { PermissionBackend } from '../../framework/permissions/permission-backend.ts'
import './tables.ts'

/** The accounts app's grants, for the framework's model and object permissions. */
export function accountsPermissionBackend(db: Database): PermissionBackend {
  // The groups a user belongs to, as a subquery each lookup embeds (no separate round trip).
  const groupsOf = (userId: string) =>
    db.selectFrom('auth_user_groups').select('group_id').where('user_id', '=', userId)

  return {
    async permissionsOf(userId) {
      const rows = await db
        .selectFrom('auth_user_permissions')
        .select('codename')
        .where('user_id', '=', userId)
        .union(
          db
            .selectFrom('auth_group_permissions')
            .select('codename')
            .where('group_id', 'in', groupsOf(userId)),
        )
        .execute()
      return new Set(rows.map((r) => r.codename))
    },

    async objectPermissionsOf(userId, objectType, objectId) {
      const rows = await db
        .selectFrom('auth_object_permissions')
        .select('codename')
        .distinct()
        .where('object_type', '=', objectType)
        .where('object_id', '=', objectId)
        .where((eb) => eb.or([eb('user_id', '=', userId), eb('group_id', 'in', groupsOf(userId))]))
        .execute()
      return new Set(rows.map((r) => r.codename))
    },

    whereGranted(query, { userId, objectType, codename, idColumn }) {
      const onObject = db
        .selectFrom('auth_object_permissions as op')
        .select(sql.lit(1).as('one'))
        .where('op.object_type', '=', objectType)
        .where('op.codename', '=', codename)
        // Correlated with the listed row; ids of any type are stored and compared as text.
        .where('op.object_id', '=', sql<string>`cast(${sql.ref(idColumn)} as text)`)
        .where((eb) =>
          eb.or([eb('op.user_id', '=', userId), eb('op.group_id', 'in', groupsOf(userId))]),
        )
      const modelWide = db
        .selectFrom('auth_user_permissions')
        .select('codename')
        .where('user_id', '=', userId)
        .where('codename', '=', codename)
        .union(
          db
            .selectFrom('auth_group_permissions')
            .select('codename')
            .where('group_id', 'in', groupsOf(userId))
            .where('codename', '=', codename),
        )
      // A model-wide grant covers every object of the model, as ObjectPermissions counts it.
      return query.where((eb) => eb.or([eb.exists(onObject), eb.exists(modelWide)]))
    },
  }
}
