import { randomUUID } from 'node:crypto'
import { IsAuthenticated, viewset } from 'portcullis'
import { onOrganization, onProject, seesWhatTheUrlNames } from './permissions.ts'
import { rbacRoles } from './roles.ts'
import { ProjectSchema } from './schema.ts'

/**
 * `/organizations/{org_id}/projects/` and `…/projects/{project_id}/`, nested under an
 * organization (the router narrows every query to the URL's): all of its projects for a role on
 * the organization, else those granted one by one, oldest first. Editors of the organization
 * create; editors of a project rename it, its admins delete it. No PUT: a detail answers it with
 * 405.
 */
export const projects = viewset({
  basename: 'project',
  table: 'rbac_projects',
  schema: ProjectSchema,
  lookupParam: 'project_id',
  actions: ['list', 'create', 'retrieve', 'partial_update', 'destroy'],
  permissions: [IsAuthenticated, seesWhatTheUrlNames],
  policies: {
    create: { permissions: [IsAuthenticated, onOrganization('editor')] },
    partial_update: { permissions: [IsAuthenticated, onProject('editor')] },
    destroy: { permissions: [IsAuthenticated, onProject('admin')] },
  },
  query: (db) =>
    db
      .selectFrom('rbac_projects')
      .select([
        'rbac_projects.id',
        'rbac_projects.organization_id as organization',
        'rbac_projects.name',
        'rbac_projects.created_at',
      ]),
  related: {
    grants: (eb) =>
      eb
        .selectFrom('rbac_project_members as grants')
        .whereRef('grants.project_id', '=', 'rbac_projects.id'),
  },
  // A role on the organization (read once by the permissions) sees all of its projects; a grant
  // on some of them sees those alone. Two shapes, each compiled once.
  scope: async (request) =>
    (await rbacRoles.roleOn(request)).parent ? null : { 'grants.user_id': request.user!.id },
  performCreate: (_request, data) => ({ ...data, id: randomUUID() }),
  ordering: { default: ['rbac_projects.created_at', 'rbac_projects.id'] },
  summaries: {
    list: "An organization's projects that you can see",
    create: 'Create a project (editors of the organization)',
    partial_update: 'Rename a project (editors)',
  },
})
