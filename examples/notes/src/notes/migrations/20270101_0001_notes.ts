import type { ColumnDefinitionBuilder, Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

// A user's key: deleting the user deletes what points at them.
const toUser = (c: ColumnDefinitionBuilder) =>
  c.notNull().references('users.id').onDelete('cascade')

export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('notes')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'varchar(36)', toUser)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('notes_owner').on('notes').column('owner_id').execute()
  await db.schema
    .createTable('note_readers')
    .addColumn('note_id', 'integer', (c) => c.notNull().references('notes.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(36)', toUser)
    .addPrimaryKeyConstraint('note_readers_pk', ['note_id', 'user_id'])
    .execute()
  await db.schema.createIndex('note_readers_user').on('note_readers').column('user_id').execute()
  await db.schema
    .createTable('comments')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('note_id', 'integer', (c) => c.notNull().references('notes.id').onDelete('cascade'))
    .addColumn('author_id', 'varchar(36)', toUser)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('comments_note').on('comments').column('note_id').execute()
}

export async function down(db: Kysely<unknown>) {
  for (const table of ['comments', 'note_readers', 'notes']) {
    await db.schema.dropTable(table).execute()
  }
}
