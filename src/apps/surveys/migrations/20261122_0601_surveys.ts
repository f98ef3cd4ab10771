import type { Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

// Frozen in time: this file never imports app code, only the dialect's column types.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('surveys')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'varchar(10)', (c) => c.notNull().defaultTo('draft'))
    .addColumn('creator_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  // Lists filter on "published, or mine": both columns are looked up on every list.
  await db.schema.createIndex('surveys_creator').on('surveys').column('creator_id').execute()
  await db.schema.createIndex('surveys_status').on('surveys').column('status').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('surveys').execute()
}
