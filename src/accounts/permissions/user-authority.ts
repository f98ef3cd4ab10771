import type { AuthUser } from '../../framework/auth/user.ts'
import type { Database } from '../../framework/db/database.ts'
import { PermissionDenied } from '../../framework/errors.ts'
import type { ObjectGrant } from './object-grants.ts'
import { accountsPermissionBackend } from './permission-backend.ts'
import './tables.ts'

/*
 * Who may change whom, and grant what: one rule for every route that changes a user or a grant.
 * A superuser may do anything. Anyone else may change themselves, or a user who holds nothing
 * they lack (changing someone's email or password is taking their account over, and with it what
 * they hold); and may grant, to a user or a group or by putting someone in a group, only
 * permissions they hold themselves.
 */

const backend = (db: Database) => accountsPermissionBackend(db)

function lacking(held: ReadonlySet<string>, codenames: Iterable<string>): string[] {
  return [...new Set(codenames)].filter((c) => !held.has(c)).sort()
}

/** Refuse unless `actor` may change user `targetId` (their details, grants or groups). */
export async function assertMayChangeUser(
  db: Database,
  actor: AuthUser,
  targetId: string,
): Promise<void> {
  if (actor.is_superuser || actor.id === targetId) return
  const target = await db
    .selectFrom('users')
    .select(['is_staff', 'is_superuser'])
    .where('id', '=', targetId)
    .executeTakeFirst()
  // A missing user is the caller's 404 to give.
  if (!target) return
  if (target.is_superuser) throw new PermissionDenied('Only a superuser may change a superuser.')
  if (target.is_staff && !actor.is_staff) {
    throw new PermissionDenied('Only staff may change a staff user.')
  }
  const [theirs, mine] = await Promise.all([
    backend(db).permissionsOf(targetId),
    backend(db).permissionsOf(actor.id),
  ])
  if (lacking(mine, theirs).length > 0) {
    throw new PermissionDenied('You may not change a user who holds permissions you do not hold.')
  }
}

/** Refuse unless `actor` holds every one of `codenames` model-wide. */
export async function assertMayGrant(
  db: Database,
  actor: AuthUser,
  codenames: readonly string[],
): Promise<void> {
  if (actor.is_superuser || codenames.length === 0) return
  const missing = lacking(await backend(db).permissionsOf(actor.id), codenames)
  if (missing.length > 0) {
    throw new PermissionDenied(
      `You may not grant permissions you do not hold: ${missing.join(', ')}.`,
    )
  }
}

/** Refuse unless `actor` holds the codename on that object, or model-wide. */
export async function assertMayGrantOnObject(
  db: Database,
  actor: AuthUser,
  grant: ObjectGrant,
): Promise<void> {
  if (actor.is_superuser) return
  const onObject = await backend(db).objectPermissionsOf(actor.id, grant.objectType, grant.objectId)
  if (onObject.has(grant.codename)) return
  await assertMayGrant(db, actor, [grant.codename])
}

/**
 * Refuse unless `actor` may put user `userId` in (or take them out of) group `groupId`: they may
 * change the user, and joining gives only permissions the actor holds.
 */
export async function assertMayChangeMembership(
  db: Database,
  actor: AuthUser,
  groupId: number,
  userId: string,
): Promise<void> {
  if (actor.is_superuser) return
  await assertMayChangeUser(db, actor, userId)
  const rows = await db
    .selectFrom('auth_group_permissions')
    .select('codename')
    .where('group_id', '=', groupId)
    .execute()
  const missing = lacking(
    await backend(db).permissionsOf(actor.id),
    rows.map((r) => r.codename),
  )
  if (missing.length > 0) {
    throw new PermissionDenied(
      `You may not add a user to a group holding permissions you do not hold: ${missing.join(', ')}.`,
    )
  }
}
