import { randomUUID } from 'node:crypto'
import { IsAuthenticated, viewset } from 'portcullis'
import { onOrganization, seesWhatTheUrlNames } from './permissions.ts'
import { rbacRoles } from './roles.ts'
import { OrganizationSchema } from './schema.ts'

/**
 * `/organizations/` and `/organizations/{org_id}/`: the organizations you have a role on, or a
 * role on one of whose projects, oldest first. Any user creates one and becomes its owner;
 * admins rename, owners delete. No PUT: a detail answers it with 405.
 */
export const organizations = viewset({
  basename: 'organization',
  table: 'rbac_organizations',
  schema: OrganizationSchema,
  lookupParam: 'org_id',
  actions: ['list', 'create', 'retrieve', 'partial_update', 'destroy'],
  permissions: [IsAuthenticated, seesWhatTheUrlNames],
  policies: {
    partial_update: { permissions: [IsAuthenticated, onOrganization('admin')] },
    destroy: { permissions: [IsAuthenticated, onOrganization('owner')] },
  },
  query: (db) =>
    db
      .selectFrom('rbac_organizations')
      .select([
        'rbac_organizations.id',
        'rbac_organizations.name',
        'rbac_organizations.created_at',
      ]),
  related: {
    members: (eb) =>
      eb
        .selectFrom('rbac_org_members as members')
        .whereRef('members.organization_id', '=', 'rbac_organizations.id'),
    project_grants: (eb) =>
      eb
        .selectFrom('rbac_project_members as project_grants')
        .innerJoin('rbac_projects as granted', 'granted.id', 'project_grants.project_id')
        .whereRef('granted.organization_id', '=', 'rbac_organizations.id'),
  },
  // One the URL names is seen when the role the permissions read says so (a grant there proves it
  // exists); a list asks the grants of every organization.
  scope: async (request) => {
    const named = (request.params as { org_id?: string }).org_id !== undefined
    if (named && (await rbacRoles.roleOn(request)).seesParent) return null
    return [{ 'members.user_id': request.user!.id }, { 'project_grants.user_id': request.user!.id }]
  },
  // The creator becomes its owner in the same transaction: never an organization nobody manages.
  async performCreate(request, data, trx, save) {
    const org = await save({ ...data, id: randomUUID() })
    await trx
      .insertInto('rbac_org_members')
      .values({
        organization_id: org.id as string,
        user_id: request.user!.id,
        role: 'owner',
        created_at: new Date().toISOString(),
      })
      .execute()
  },
  // Deleting one takes its projects and grants with it: the foreign keys cascade.
  ordering: { default: ['rbac_organizations.created_at', 'rbac_organizations.id'] },
  summaries: {
    list: 'The organizations you are a member of',
    create: 'Create an organization (you become its owner)',
    partial_update: 'Rename an organization (admins)',
    destroy: 'Delete an organization, its projects and grants (owners)',
  },
})
