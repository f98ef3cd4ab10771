import { type RawBuilder, type SqlBool, sql } from 'kysely'
import type { RoleScope } from './role-scope.ts'

const ref = (table: string, column: string) => sql.ref(`${table}.${column}`)

/**
 * A SQL condition for lists of parents: the user holds a role on the parent named by
 * `parentRef` (`'o.id'`) or on one of its children. Scopes the list in the database, one
 * statement a page, never rows filtered in memory.
 */
export function parentVisibleTo<R extends string>(
  scope: RoleScope<R>,
  userId: string,
  parentRef: string,
): RawBuilder<SqlBool> {
  const { parent, child } = scope.options
  const pg = parent.grants
  const cg = child.grants
  // Aliased, so an outer query over the same tables cannot capture a column.
  return sql<SqlBool>`(exists (select 1 from ${sql.table(pg.table)} as role_pg
      where ${ref('role_pg', pg.key)} = ${sql.ref(parentRef)} and ${ref('role_pg', pg.user ?? 'user_id')} = ${userId})
    or exists (select 1 from ${sql.table(cg.table)} as role_cg
      join ${sql.table(child.table)} as role_c on ${ref('role_c', child.key ?? 'id')} = ${ref('role_cg', cg.key)}
      where ${ref('role_c', child.parentKey)} = ${sql.ref(parentRef)} and ${ref('role_cg', cg.user ?? 'user_id')} = ${userId}))`
}

/**
 * A SQL condition for lists of children, for a user with no role on their parent: the user
 * holds a role on the child named by `childRef` (`'p.id'`) itself.
 */
export function childGrantedTo<R extends string>(
  scope: RoleScope<R>,
  userId: string,
  childRef: string,
): RawBuilder<SqlBool> {
  const cg = scope.options.child.grants
  return sql<SqlBool>`exists (select 1 from ${sql.table(cg.table)} as role_cg
    where ${ref('role_cg', cg.key)} = ${sql.ref(childRef)} and ${ref('role_cg', cg.user ?? 'user_id')} = ${userId})`
}
