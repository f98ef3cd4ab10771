/** Where the grants on one kind of object live, and the rules that differ between the two. */
export interface GrantTable {
  table: 'rbac_org_members' | 'rbac_project_members'
  /** The column naming the organization or project. */
  key: 'organization_id' | 'project_id'
  /** 400 for a second grant to the same user. */
  duplicate: string
  /** Whether the last owner must stay (organizations: someone must be able to manage them). */
  keepsAnOwner: boolean
}

/** Roles granted on an organization: its members. */
export const ORGANIZATION_GRANTS: GrantTable = {
  table: 'rbac_org_members',
  key: 'organization_id',
  duplicate: 'This user is already a member of this organization.',
  keepsAnOwner: true,
}

/** Roles granted on one project alone. */
export const PROJECT_GRANTS: GrantTable = {
  table: 'rbac_project_members',
  key: 'project_id',
  duplicate: 'This user already has a role on this project.',
  keepsAnOwner: false,
}

/** The message of the one rule organizations add: someone must remain able to manage them. */
export const LAST_OWNER = 'The last owner cannot leave the organization.'
