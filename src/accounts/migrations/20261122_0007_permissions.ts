import { type Kysely, sql } from 'kysely'
import { columnTypes } from '../../framework/db/dialect.ts'

// Frozen in time: no app imports.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('auth_groups')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('name', 'varchar(150)', (c) => c.notNull().unique())
    .execute()
  await db.schema
    .createTable('auth_user_groups')
    .addColumn('user_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('group_id', 'integer', (c) =>
      c.notNull().references('auth_groups.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('auth_user_groups_pk', ['user_id', 'group_id'])
    .execute()
  await db.schema
    .createIndex('auth_user_groups_group')
    .on('auth_user_groups')
    .column('group_id')
    .execute()
  await db.schema
    .createTable('auth_user_permissions')
    .addColumn('user_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('codename', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_user_permissions_pk', ['user_id', 'codename'])
    .execute()
  await db.schema
    .createTable('auth_group_permissions')
    .addColumn('group_id', 'integer', (c) =>
      c.notNull().references('auth_groups.id').onDelete('cascade'),
    )
    .addColumn('codename', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_group_permissions_pk', ['group_id', 'codename'])
    .execute()
  // django-guardian's user and group object permissions in one table: exactly one holder.
  await db.schema
    .createTable('auth_object_permissions')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('codename', 'varchar(255)', (c) => c.notNull())
    .addColumn('object_type', 'varchar(255)', (c) => c.notNull())
    .addColumn('object_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(36)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.references('auth_groups.id').onDelete('cascade'))
    .addCheckConstraint(
      'auth_object_permissions_one_holder',
      sql`(user_id is null) <> (group_id is null)`,
    )
    .execute()
  // One grant per holder, object and codename; these also serve the lookups of a list's
  // subquery (by object) and of a user's or group's grants.
  await db.schema
    .createIndex('auth_object_permissions_user_grant')
    .on('auth_object_permissions')
    .columns(['user_id', 'object_type', 'codename', 'object_id'])
    .unique()
    .execute()
  await db.schema
    .createIndex('auth_object_permissions_group_grant')
    .on('auth_object_permissions')
    .columns(['group_id', 'object_type', 'codename', 'object_id'])
    .unique()
    .execute()
  await db.schema
    .createIndex('auth_object_permissions_object')
    .on('auth_object_permissions')
    .columns(['object_type', 'object_id', 'codename'])
    .execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('auth_object_permissions').execute()
  await db.schema.dropTable('auth_group_permissions').execute()
  await db.schema.dropTable('auth_user_permissions').execute()
  await db.schema.dropTable('auth_user_groups').execute()
  await db.schema.dropTable('auth_groups').execute()
}
