import type { Kysely } from 'kysely'
import { columnTypes } from '../../framework/db/dialect.ts'

// Frozen in time: no app imports.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  // One row per user whose password changed: refresh tokens issued up to `revoked_at` are refused.
  await db.schema
    .createTable('credential_revocations')
    .addColumn('user_id', 'varchar(36)', (c) =>
      c.primaryKey().references('users.id').onDelete('cascade'),
    )
    .addColumn('revoked_at', t.timestamp, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('credential_revocations').execute()
}
