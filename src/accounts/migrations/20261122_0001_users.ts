import { type Kysely, sql } from 'kysely'
import { columnTypes } from '../../framework/db/dialect.ts'

// Frozen in time: this file never imports app code, only the dialect's column types.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(150)', (c) => c.notNull().unique())
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('name', 'varchar(32)', (c) => c.notNull().defaultTo(''))
    .addColumn('password', 'varchar(255)', (c) => c.notNull())
    .addColumn('is_active', t.boolean, (c) => c.notNull())
    .addColumn('is_staff', t.boolean, (c) => c.notNull())
    .addColumn('is_superuser', t.boolean, (c) => c.notNull())
    .addColumn('date_joined', t.timestamp, (c) => c.notNull())
    .addColumn('last_login', t.timestamp)
    .execute()
  // Email is unique whatever its case, as login by email is case-insensitive.
  await db.schema
    .createIndex('users_email_unique')
    .on('users')
    .unique()
    .expression(sql`lower(email)`)
    .execute()
  await db.schema
    .createTable('auth_tokens')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('key_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'varchar(36)', (c) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('name', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('created', t.timestamp, (c) => c.notNull())
    .addColumn('last_used', t.timestamp)
    .addColumn('expires', t.timestamp)
    .execute()
  await db.schema.createIndex('auth_tokens_user').on('auth_tokens').column('user_id').execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('auth_tokens').execute()
  await db.schema.dropTable('users').execute()
}
