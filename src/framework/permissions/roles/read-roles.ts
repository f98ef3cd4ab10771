import { type Kysely, sql } from 'kysely'
import { type Prepared, prepared } from '../../db/prepared.ts'
import type { Tables } from '../../db/tables.ts'
import type { RoleScopeOptions } from './role-scope.ts'

/** A table of role grants: its column naming the granted object, the user and the role. */
export interface RoleGrants {
  table: string
  /** The column naming the parent or child the role is granted on. */
  key: string
  /** `user_id` by default. */
  user?: string
  /** `role` by default. */
  role?: string
}

/** What one role query answers, before the ladder reads it. */
export interface RoleRow {
  parentRole: unknown
  childGrantInParent: boolean
  childRole: unknown
  childExists: boolean
}

// SQLite answers EXISTS with 0/1, PostgreSQL with a boolean.
const truthy = (value: unknown) => value === true || value === 1 || value === '1'

// One statement per role scope, compiled once: building it with Kysely on every request cost more
// than SQLite takes to answer it.
const statements = new WeakMap<RoleScopeOptions<string>, Prepared<Tables, RoleArgs, Row>>()

type RoleArgs = [parentId: string, userId: string, childId: string | null]
type Row = Record<string, unknown>

function statementFor(options: RoleScopeOptions<string>) {
  let found = statements.get(options)
  if (found === undefined) {
    const { parent, child } = options
    const pg = parent.grants
    const cg = child.grants
    const id = (table: string, column: string) => sql.ref(`${table}.${column}`)
    const childKey = id(child.table, child.key ?? 'id')
    const childGrantJoin = sql`${sql.table(cg.table)} join ${sql.table(child.table)} on ${childKey} = ${id(cg.table, cg.key)}`
    const childUser = id(cg.table, cg.user ?? 'user_id')
    found = prepared(3, (db: Kysely<Tables>, parentId, userId, childId) => {
      const query = sql<Row>`select
    (select ${id(pg.table, pg.role ?? 'role')} from ${sql.table(pg.table)}
      where ${id(pg.table, pg.key)} = ${parentId} and ${id(pg.table, pg.user ?? 'user_id')} = ${userId}) as parent_role,
    exists (select 1 from ${childGrantJoin}
      where ${id(child.table, child.parentKey)} = ${parentId} and ${childUser} = ${userId}) as child_grant_in_parent,
    (select ${id(cg.table, cg.role ?? 'role')} from ${childGrantJoin}
      where ${childKey} = ${childId} and ${id(child.table, child.parentKey)} = ${parentId}
        and ${childUser} = ${userId}) as child_role,
    exists (select 1 from ${sql.table(child.table)}
      where ${childKey} = ${childId} and ${id(child.table, child.parentKey)} = ${parentId}) as child_exists`
      return { compile: () => query.compile(db) }
    })
    statements.set(options, found)
  }
  return found
}

/**
 * Every grant that decides a request, in ONE statement of scalar subqueries (valid on SQLite and
 * PostgreSQL): the parent's role, whether any child of the parent has a grant for the user, the
 * child's own role, and whether the child is the parent's.
 */
export async function readRoles(
  db: Kysely<Tables>,
  options: RoleScopeOptions<string>,
  userId: string,
  parentId: string,
  childId: string | null,
): Promise<RoleRow> {
  const row = (await statementFor(options).first(db, parentId, userId, childId)) ?? {}
  return {
    parentRole: row.parent_role ?? null,
    childGrantInParent: truthy(row.child_grant_in_parent),
    childRole: row.child_role ?? null,
    childExists: truthy(row.child_exists),
  }
}
