import type { Database } from '../../framework/db/database.ts'
import type { Holder } from './grants.ts'
import './tables.ts'

/** One object permission (django-guardian's assign_perm): a codename on one object. */
export interface ObjectGrant {
  codename: string
  objectType: string
  objectId: string
}

const holderColumns = (holder: Holder) =>
  holder.kind === 'user'
    ? { user_id: holder.id, group_id: null }
    : { user_id: null, group_id: holder.id }

/** Grant a codename on one object to a user or group; granting it twice changes nothing. */
export async function grantOnObject(db: Database, holder: Holder, g: ObjectGrant): Promise<void> {
  await db
    .insertInto('auth_object_permissions')
    .values({
      codename: g.codename,
      object_type: g.objectType,
      object_id: g.objectId,
      ...holderColumns(holder),
    })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** Take back a codename on one object from a user or group. */
export async function revokeOnObject(db: Database, holder: Holder, g: ObjectGrant): Promise<void> {
  await db
    .deleteFrom('auth_object_permissions')
    .where('codename', '=', g.codename)
    .where('object_type', '=', g.objectType)
    .where('object_id', '=', g.objectId)
    .where(holder.kind === 'user' ? 'user_id' : 'group_id', '=', holder.id)
    .execute()
}
