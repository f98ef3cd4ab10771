import type { Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('notes')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('notes_owner').on('notes').column('owner_id').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('notes').execute()
}
