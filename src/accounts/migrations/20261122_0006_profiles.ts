import { type Kysely, sql } from 'kysely'
import { columnTypes } from '../../framework/db/dialect.ts'

// Frozen in time: no app imports.
export async function up(db: Kysely<unknown>) {
  const t = columnTypes(db)
  await db.schema
    .createTable('profiles')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('user_id', 'varchar(36)', (c) =>
      c.notNull().unique().references('users.id').onDelete('cascade'),
    )
    .addColumn('bio', 'varchar(240)', (c) => c.notNull().defaultTo(''))
    .addColumn('city', 'varchar(30)', (c) => c.notNull().defaultTo(''))
    // The avatar's name in the media storage, relative to MEDIA_ROOT.
    .addColumn('avatar', 'varchar(255)')
    .execute()
  // Users made before profiles existed get theirs now, in the order they joined.
  await sql`
    insert into profiles (user_id)
    select u.id from users u
    where not exists (select 1 from profiles p where p.user_id = u.id)
    order by u.date_joined, u.id
  `.execute(db)
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('profiles').execute()
}
