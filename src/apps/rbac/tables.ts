import type { ColumnType, Generated } from 'kysely'

/** A moment: ISO 8601 text read back, written as ISO text. */
type Timestamp = ColumnType<string, string, string>

/** `rbac_organizations`: the parents that hold projects and members. */
export interface RbacOrganizationsTable {
  id: string
  name: string
  created_at: Timestamp
}

/** `rbac_projects`: the children of an organization. */
export interface RbacProjectsTable {
  id: string
  organization_id: string
  name: string
  created_at: Timestamp
}

/** `rbac_org_members`: a role granted on an organization (covering its projects). */
export interface RbacOrgMembersTable {
  id: Generated<number>
  organization_id: string
  user_id: string
  role: string
  created_at: Timestamp
}

/** `rbac_project_members`: a role granted on one project alone. */
export interface RbacProjectMembersTable {
  id: Generated<number>
  project_id: string
  user_id: string
  role: string
  created_at: Timestamp
}

declare module 'portcullis' {
  interface Tables {
    rbac_organizations: RbacOrganizationsTable
    rbac_projects: RbacProjectsTable
    rbac_org_members: RbacOrgMembersTable
    rbac_project_members: RbacProjectMembersTable
  }
}
