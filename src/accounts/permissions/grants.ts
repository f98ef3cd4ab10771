import type { Database } from '../../framework/db/database.ts'
import './tables.ts'

/** Who holds model-wide grants: a user or a group. */
export type Holder = { kind: 'user'; id: string } | { kind: 'group'; id: number }

/** The codenames a holder was granted directly (not a user's through groups), sorted. */
export async function grantsOf(db: Database, holder: Holder): Promise<string[]> {
  const rows =
    holder.kind === 'user'
      ? await db
          .selectFrom('auth_user_permissions')
          .select('codename')
          .where('user_id', '=', holder.id)
          .execute()
      : await db
          .selectFrom('auth_group_permissions')
          .select('codename')
          .where('group_id', '=', holder.id)
          .execute()
  return rows.map((r) => r.codename).sort()
}

/** Grant codenames to a holder; granting one it already holds changes nothing. */
export async function grant(db: Database, holder: Holder, codenames: string[]): Promise<void> {
  if (codenames.length === 0) return
  const unique = [...new Set(codenames)]
  if (holder.kind === 'user') {
    await db
      .insertInto('auth_user_permissions')
      .values(unique.map((codename) => ({ user_id: holder.id, codename })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  } else {
    await db
      .insertInto('auth_group_permissions')
      .values(unique.map((codename) => ({ group_id: holder.id, codename })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

/** Take codenames back from a holder; revoking one it does not hold changes nothing. */
export async function revoke(db: Database, holder: Holder, codenames: string[]): Promise<void> {
  if (codenames.length === 0) return
  if (holder.kind === 'user') {
    await db
      .deleteFrom('auth_user_permissions')
      .where('user_id', '=', holder.id)
      .where('codename', 'in', codenames)
      .execute()
  } else {
    await db
      .deleteFrom('auth_group_permissions')
      .where('group_id', '=', holder.id)
      .where('codename', 'in', codenames)
      .execute()
  }
}

/** Put a user in a group; already a member changes nothing. */
export async function addMember(db: Database, groupId: number, userId: string): Promise<void> {
  await db
    .insertInto('auth_user_groups')
    .values({ group_id: groupId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** Take a user out of a group; returns whether they were in it. */
export async function removeMember(db: Database, groupId: number, userId: string) {
  const result = await db
    .deleteFrom('auth_user_groups')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
