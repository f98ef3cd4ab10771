import type { FastifyRequest } from 'fastify'
import { type Kysely, sql } from 'kysely'
import { PermissionDenied, type Tables, uniqueViolation, ValidationError } from 'portcullis'
import { type GrantTable, LAST_OWNER } from './grant-tables.ts'
import { fieldError, findMember, lockOrganization, type Member, ownersBesides } from './grants.ts'
import { readNewGrant, readRole } from './member-input.ts'
import { ROLES, type Role } from './roles.ts'

/** Whose grants change, and the role of who changes them. */
export interface GrantChange {
  grants: GrantTable
  /** The organization or project. */
  objectId: string
  /** The organization that holds it: its row serializes the changes. */
  organizationId: string
  /** The requester's role where it counts (on the organization, or effective on the project). */
  actor: Role
}

// Owners are managed by owners only: an admin may neither touch an owner nor make one.
function mustBeOwnerFor(change: GrantChange, role: string) {
  if (role === 'owner' && change.actor !== 'owner') throw new PermissionDenied()
}

async function currentRole(trx: Kysely<Tables>, change: GrantChange, userId: string) {
  const row = await trx
    .selectFrom(change.grants.table)
    .select('role')
    .where(sql.ref(change.grants.key), '=', change.objectId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row && ROLES.isRole(row.role) ? row.role : null
}

// Every change in one transaction; an organization's grants change one at a time (its lock).
async function inTransaction<T>(
  request: FastifyRequest,
  change: GrantChange,
  work: (trx: Kysely<Tables>, change: GrantChange) => Promise<T>,
) {
  return request.server.db.transaction().execute(async (trx) => {
    if (change.grants.keepsAnOwner) {
      await lockOrganization(trx, change.organizationId)
      // Under the lock, the requester's role as it is now: one demoted a moment ago acts no more.
      const now = await currentRole(trx, change, request.user!.id)
      if (!ROLES.atLeast(now, 'admin')) throw new PermissionDenied()
      change = { ...change, actor: now as Role }
    }
    return work(trx, change)
  })
}

/** Grant a role to a user by id or e-mail address: 403 for owner by a non-owner, 400 if granted. */
export async function addMember(request: FastifyRequest, change: GrantChange): Promise<Member> {
  const grant = await readNewGrant(request)
  const { grants, objectId } = change
  try {
    return await inTransaction(request, change, async (trx, change) => {
      mustBeOwnerFor(change, grant.role)
      const taken = await trx
        .selectFrom(grants.table)
        .select('id')
        .where(sql.ref(grants.key), '=', objectId)
        .where('user_id', '=', grant.userId)
        .executeTakeFirst()
      if (taken) fieldError('user_id', grants.duplicate)
      const values = {
        user_id: grant.userId,
        role: grant.role,
        created_at: new Date().toISOString(),
      }
      await trx
        .insertInto(grants.table)
        .values({ ...values, [grants.key]: objectId } as never)
        .execute()
      return findMember(trx, grants, objectId, grant.userId)
    })
  } catch (err) {
    // Two grants to one user at once: the unique index has the last word, with the same 400.
    if (uniqueViolation(err)) fieldError('user_id', grants.duplicate)
    throw err
  }
}

// The last owner of an organization may neither go nor step down: nobody could manage it then.
async function keepAnOwner(trx: Kysely<Tables>, change: GrantChange, member: Member) {
  if (!change.grants.keepsAnOwner || member.role !== 'owner') return
  if ((await ownersBesides(trx, change.grants, change.objectId, member.user_id)) === 0) {
    throw new ValidationError({ non_field_errors: [LAST_OWNER] })
  }
}

/** Change a member's role: 404, then 403 (owners), then 400 (body, last owner), in that order. */
export function changeMember(request: FastifyRequest, change: GrantChange, userId: string) {
  const { grants, objectId } = change
  return inTransaction(request, change, async (trx, change) => {
    const member = await findMember(trx, grants, objectId, userId)
    mustBeOwnerFor(change, member.role)
    const role = await readRole(request)
    mustBeOwnerFor(change, role)
    if (role !== 'owner') await keepAnOwner(trx, change, member)
    await trx
      .updateTable(grants.table)
      .set({ role })
      .where(sql.ref(grants.key), '=', objectId)
      .where('user_id', '=', userId)
      .execute()
    return { ...member, role }
  })
}

/** Take a member's role away: 404, then 403 (owners), then 400 (last owner). */
export function removeMember(request: FastifyRequest, change: GrantChange, userId: string) {
  const { grants, objectId } = change
  return inTransaction(request, change, async (trx, change) => {
    const member = await findMember(trx, grants, objectId, userId)
    mustBeOwnerFor(change, member.role)
    await keepAnOwner(trx, change, member)
    await trx
      .deleteFrom(grants.table)
      .where(sql.ref(grants.key), '=', objectId)
      .where('user_id', '=', userId)
      .execute()
  })
}
