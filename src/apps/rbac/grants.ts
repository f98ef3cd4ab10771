import type { FastifyRequest } from 'fastify'
import { type Kysely, sql } from 'kysely'
import { type Database, NotFound, paginate, type Tables, ValidationError } from 'portcullis'
import type { GrantTable } from './grant-tables.ts'

/** A grant as the API shows it. */
export interface Member {
  user_id: string
  username: string
  email: string
  name: string
  role: string
}

// Both grant tables have one shape but for the key's name: the queries are written once, over
// a table named at run time, and the rows typed by `Member`.
// biome-ignore lint/suspicious/noExplicitAny: a grant table chosen at run time
const loose = (db: Kysely<Tables>) => db as unknown as Kysely<any>

/** The grants on one object with their users, oldest first (unordered, unpaginated). */
export function membersQuery(db: Database, grants: GrantTable, objectId: string) {
  return loose(db)
    .selectFrom(`${grants.table} as g`)
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id as user_id', 'u.username', 'u.email', 'u.name', 'g.role'])
    .where(`g.${grants.key}`, '=', objectId)
}

/** One page of the grants on an object, in grant order. */
export function listMembers(request: FastifyRequest, grants: GrantTable, objectId: string) {
  return paginate<Member>(
    request,
    membersQuery(request.server.db, grants, objectId).orderBy('g.id'),
  )
}

/** The grant of `userId` on the object; 404 when there is none (or the id is no UUID). */
export async function findMember(
  db: Kysely<Tables>,
  grants: GrantTable,
  objectId: string,
  userId: string,
): Promise<Member> {
  const row = await membersQuery(db, grants, objectId)
    .where('g.user_id', '=', userId)
    .executeTakeFirst()
  if (!row) throw new NotFound()
  return row as Member
}

/** How many owners the object keeps once `userId` is left out. */
export async function ownersBesides(
  db: Kysely<Tables>,
  grants: GrantTable,
  objectId: string,
  userId: string,
): Promise<number> {
  const row = await loose(db)
    .selectFrom(grants.table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where(grants.key, '=', objectId)
    .where('role', '=', 'owner')
    .where('user_id', '!=', userId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Serialize every change to an organization's grants: a no-op write to its row takes the row's
 * lock on PostgreSQL and the database's write lock on SQLite, so two demotions of its last two
 * owners run one after the other and the second sees the first.
 */
export async function lockOrganization(db: Kysely<Tables>, organizationId: string) {
  await db
    .updateTable('rbac_organizations')
    .set({ name: sql.ref('name') })
    .where('id', '=', organizationId)
    .execute()
}

/** Raise the single 400 of a field. */
export function fieldError(field: string, message: string): never {
  throw new ValidationError({ [field]: [message] })
}
