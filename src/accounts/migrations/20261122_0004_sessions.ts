import type { Kysely } from 'kysely'
import { columnTypes } from '../../framework/db/dialect.ts'

// Frozen in time: no app imports.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('key_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('created', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen', t.timestamp, (c) => c.notNull())
    .addColumn('expires', t.timestamp, (c) => c.notNull())
    .addColumn('user_agent', 'varchar(500)', (c) => c.notNull().defaultTo(''))
    .addColumn('ip', 'varchar(45)', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('sessions').execute()
}
