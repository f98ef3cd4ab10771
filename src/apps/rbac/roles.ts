import { roleLadder, roleScope } from 'portcullis'

/** Seed 002's roles, each including the ones before it. */
export const ROLES = roleLadder(['viewer', 'editor', 'admin', 'owner'])

/** One of seed 002's roles. */
export type Role = (typeof ROLES.roles)[number]

/** A UUID as the URLs carry it; anything else names no object. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Roles granted on organizations (covering their projects) and on single projects. */
export const rbacRoles = roleScope({
  ladder: ROLES,
  parent: { param: 'org_id', grants: { table: 'rbac_org_members', key: 'organization_id' } },
  child: {
    param: 'project_id',
    table: 'rbac_projects',
    parentKey: 'organization_id',
    grants: { table: 'rbac_project_members', key: 'project_id' },
  },
  // A non-UUID id is a miss: 404 without a query (and without PostgreSQL's cast error).
  isKey: (raw) => UUID.test(raw),
})
