import type { Kysely } from 'kysely'
import { columnTypes } from 'portcullis'

export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('note_readers')
    .addColumn('note_id', 'integer', (c) => c.notNull().references('notes.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('note_readers_pk', ['note_id', 'user_id'])
    .execute()
  await db.schema.createIndex('note_readers_user').on('note_readers').column('user_id').execute()
  await db.schema
    .createTable('comments')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('note_id', 'integer', (c) => c.notNull().references('notes.id').onDelete('cascade'))
    .addColumn('author_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('comments_note').on('comments').column('note_id').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('comments').execute()
  await db.schema.dropTable('note_readers').execute()
}
