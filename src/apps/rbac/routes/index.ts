import type { FastifyInstance } from 'fastify'
import { NotFound, Router } from 'portcullis'
import { ORGANIZATION_GRANTS, PROJECT_GRANTS } from '../grant-tables.ts'
import { organizations } from '../organizations.ts'
import { onOrganizationMembers, onProject } from '../permissions.ts'
import { projects } from '../projects.ts'
import { type Role, rbacRoles } from '../roles.ts'
import { memberRoutes } from './member-routes.ts'
import { sessionLoginRoutes } from './session-login-routes.ts'

/** Organizations, and their projects under each one's detail URL. */
export const rbacRouter = new Router()
  .register('organizations', organizations)
  .nest('organizations', 'projects', projects, {
    parentLookup: 'org_id',
    parentField: 'organization_id',
  })

const params = (request: { params: unknown }) =>
  request.params as { org_id: string; project_id?: string }

// The route's permissions proved the role present; a grant gone since then is a miss.
function proven(role: Role | null): Role {
  if (role === null) throw new NotFound()
  return role
}

/**
 * Seed 002 (API.md §8): a JSON session login, organizations, their members, their projects and
 * project-only grants, under the plugin's prefix (`/rbac/`), with the server's default
 * authentication (session requests need CSRF).
 */
export function rbacRoutes(app: FastifyInstance) {
  sessionLoginRoutes(app)
  // Under the plugin's prefix, with its API root: a newcomer starts from its top-level list.
  rbacRouter.mount(app, { root: '/' })
  memberRoutes(app, {
    path: '/organizations/:org_id/members/',
    grants: ORGANIZATION_GRANTS,
    read: onOrganizationMembers('viewer'),
    write: onOrganizationMembers('admin'),
    async target(request) {
      const { org_id } = params(request)
      const roles = await rbacRoles.roleOn(request)
      return { objectId: org_id, organizationId: org_id, actor: proven(roles.parent) }
    },
  })
  memberRoutes(app, {
    path: '/organizations/:org_id/projects/:project_id/members/',
    grants: PROJECT_GRANTS,
    read: onProject('viewer'),
    write: onProject('admin'),
    async target(request) {
      const { org_id, project_id } = params(request)
      const roles = await rbacRoles.roleOn(request)
      return { objectId: project_id!, organizationId: org_id, actor: proven(roles.onChild) }
    },
  })
}
