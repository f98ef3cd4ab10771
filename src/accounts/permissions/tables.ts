import type { Generated } from 'kysely'

/** `auth_groups`: named sets of users that share grants (Django's auth_group). */
export interface AuthGroupsTable {
  id: Generated<number>
  name: string
}

/** `auth_user_groups`: who belongs to which group. */
export interface AuthUserGroupsTable {
  user_id: string
  group_id: number
}

/** `auth_user_permissions`: model-wide codenames granted to a user directly. */
export interface AuthUserPermissionsTable {
  user_id: string
  codename: string
}

/** `auth_group_permissions`: model-wide codenames granted to every member of a group. */
export interface AuthGroupPermissionsTable {
  group_id: number
  codename: string
}

/** `auth_object_permissions`: a codename on one object, to a user or a group (guardian's). */
export interface AuthObjectPermissionsTable {
  id: Generated<number>
  codename: string
  object_type: string
  object_id: string
  user_id: string | null
  group_id: number | null
}

declare module '../../framework/db/tables.ts' {
  interface Tables {
    auth_groups: AuthGroupsTable
    auth_user_groups: AuthUserGroupsTable
    auth_user_permissions: AuthUserPermissionsTable
    auth_group_permissions: AuthGroupPermissionsTable
    auth_object_permissions: AuthObjectPermissionsTable
  }
}
