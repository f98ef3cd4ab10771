import type { Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

// Frozen in time: this file never imports app code, only the dialect's column types.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('rbac_organizations')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('rbac_projects')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(36)', (c) =>
      c.notNull().references('rbac_organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('rbac_projects_organization')
    .on('rbac_projects')
    .column('organization_id')
    .execute()
  // Grants: one role per user and object, a serial id only to keep lists in grant order.
  for (const [table, key, parent] of [
    ['rbac_org_members', 'organization_id', 'rbac_organizations'],
    ['rbac_project_members', 'project_id', 'rbac_projects'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', t.serial, t.serialKey)
      .addColumn(key, 'varchar(36)', (c) =>
        c.notNull().references(`${parent}.id`).onDelete('cascade'),
      )
      .addColumn('user_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('role', 'varchar(10)', (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addUniqueConstraint(`${table}_${key}_user_id_unique`, [key, 'user_id'])
      .execute()
    // The organization list asks "where does this user have a grant?".
    await db.schema.createIndex(`${table}_user`).on(table).column('user_id').execute()
  }
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('rbac_project_members').execute()
  await db.schema.dropTable('rbac_org_members').execute()
  await db.schema.dropTable('rbac_projects').execute()
  await db.schema.dropTable('rbac_organizations').execute()
}
