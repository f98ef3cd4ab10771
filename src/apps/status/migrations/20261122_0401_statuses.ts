import type { Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

// Frozen in time: no app imports. Needs accounts' profiles (20261122_0006).
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('statuses')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('profile_id', 'integer', (c) =>
      c.notNull().references('profiles.id').onDelete('cascade'),
    )
    .addColumn('status_content', 'varchar(240)', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('statuses_profile').on('statuses').column('profile_id').execute()
  await db.schema.createIndex('statuses_created_at').on('statuses').column('created_at').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('statuses').execute()
}
