import type { Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

// Frozen in time: this file never imports app code, only the dialect's column types.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  // Friends and belongings have one shape: an owner and a name (the seed's OwnedModel).
  for (const table of ['friends', 'belongings']) {
    await db.schema
      .createTable(table)
      .addColumn('id', t.serial, t.serialKey)
      .addColumn('owner_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .execute()
    await db.schema.createIndex(`${table}_owner`).on(table).column('owner_id').execute()
  }
  await db.schema
    .createTable('borrowings')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('owner_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('what', 'integer', (c) =>
      c.notNull().references('belongings.id').onDelete('cascade'),
    )
    .addColumn('to_who', 'integer', (c) => c.notNull().references('friends.id').onDelete('cascade'))
    .addColumn('when', t.timestamp, (c) => c.notNull())
    .addColumn('returned', t.timestamp)
    .execute()
  // Lists filter by owner; cascades and ?has_overdue follow the two foreign keys.
  await db.schema.createIndex('borrowings_owner').on('borrowings').column('owner_id').execute()
  await db.schema.createIndex('borrowings_what').on('borrowings').column('what').execute()
  await db.schema.createIndex('borrowings_to_who').on('borrowings').column('to_who').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('borrowings').execute()
  await db.schema.dropTable('belongings').execute()
  await db.schema.dropTable('friends').execute()
}
