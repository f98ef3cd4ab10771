import type { FastifyRequest } from 'fastify'
import { childGrantedTo, type Database, NotFound, parentVisibleTo } from 'portcullis'
import { type Role, rbacRoles } from './roles.ts'

/** The columns of an organization as the API shows it. */
export function organizationsQuery(db: Database) {
  return db.selectFrom('rbac_organizations as o').select(['o.id', 'o.name', 'o.created_at'])
}

/**
 * The organizations the requester sees, oldest first: those they have a role on, or a role on
 * one of whose projects (one statement, however many grants).
 */
export function visibleOrganizations(request: FastifyRequest) {
  return organizationsQuery(request.server.db)
    .where(parentVisibleTo(rbacRoles, request.user!.id, 'o.id'))
    .orderBy('o.created_at')
    .orderBy('o.id')
}

/** One organization; 404 when it is gone (its role was checked before). */
export async function getOrganization(db: Database, id: string) {
  const row = await organizationsQuery(db).where('o.id', '=', id).executeTakeFirst()
  if (!row) throw new NotFound()
  return row
}

/** The columns of a project as the API shows it. */
export function projectsQuery(db: Database) {
  return db
    .selectFrom('rbac_projects as p')
    .select(['p.id', 'p.organization_id as organization', 'p.name', 'p.created_at'])
}

/**
 * The projects of an organization the requester sees, oldest first: all of them with a role on
 * the organization, else only those granted to them one by one.
 */
export function visibleProjects(
  request: FastifyRequest,
  organizationId: string,
  orgRole: Role | null,
) {
  const query = projectsQuery(request.server.db).where('p.organization_id', '=', organizationId)
  const scoped =
    orgRole !== null ? query : query.where(childGrantedTo(rbacRoles, request.user!.id, 'p.id'))
  return scoped.orderBy('p.created_at').orderBy('p.id')
}

/** One project of an organization; 404 when it is gone. */
export async function getProject(db: Database, organizationId: string, id: string) {
  const row = await projectsQuery(db)
    .where('p.organization_id', '=', organizationId)
    .where('p.id', '=', id)
    .executeTakeFirst()
  if (!row) throw new NotFound()
  return row
}
