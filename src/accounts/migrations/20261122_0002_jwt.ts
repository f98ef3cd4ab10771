import type { Kysely } from 'kysely'
import { columnTypes } from '../../framework/db/dialect.ts'

// Frozen in time: this file never imports app code, only the dialect's column types.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  // simplejwt's blacklist, reduced to what a lookup needs: the token id, and when it may go.
  await db.schema
    .createTable('jwt_blacklist')
    .addColumn('jti', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('expires', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('jwt_blacklist_expires')
    .on('jwt_blacklist')
    .column('expires')
    .execute()
  // Refresh tokens that took part in a rotation: each knows its family (the jti of the login's
  // token), when it was rotated out and by which successor; a login's token gets a row only
  // when it is first rotated.
  await db.schema
    .createTable('jwt_refresh_families')
    .addColumn('jti', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('family', 'varchar(255)', (c) => c.notNull())
    .addColumn('issued_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires', t.timestamp, (c) => c.notNull())
    .addColumn('rotated_at', t.timestamp)
    .addColumn('successor', 'varchar(255)')
    .execute()
  await db.schema
    .createIndex('jwt_refresh_families_family')
    .on('jwt_refresh_families')
    .column('family')
    .execute()
  await db.schema
    .createIndex('jwt_refresh_families_expires')
    .on('jwt_refresh_families')
    .column('expires')
    .execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('jwt_refresh_families').execute()
  await db.schema.dropTable('jwt_blacklist').execute()
}
