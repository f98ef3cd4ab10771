import type { Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('bucketlists')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('owner_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('date_created', t.timestamp, (c) => c.notNull())
    .addColumn('date_modified', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('bucketlists_owner').on('bucketlists').column('owner_id').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('bucketlists').execute()
}
