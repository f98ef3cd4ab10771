import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely'
import { isPostgres } from './dialect.ts'

/** Migrations by name; names start with a date so every app's migrations sort in time. */
export type Migrations = Record<string, Migration>

/** One migration and whether the database has applied it. */
export interface MigrationState {
  name: string
  applied: boolean
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run on any database, like Kysely's Migrator
type AnyDatabase = Kysely<any>

async function migratorFor(db: AnyDatabase, apps: Migrations[]) {
  const all: Migrations = Object.assign({}, ...apps)
  // PostgreSQL: keep the bookkeeping tables in the schema the app's tables go to (search_path),
  // else Kysely may find another schema's and believe this one migrated.
  const schema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined
  return new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => all },
    // An app added later may carry migrations dated before ones already applied.
    allowUnorderedMigrations: true,
  })
}

/** Apply every pending migration of every app, in name order; throws on the first failure. */
export async function migrate(db: AnyDatabase, apps: Migrations[]): Promise<string[]> {
  const migrator = await migratorFor(db, apps)
  const result: MigrationResultSet = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** Every migration of every app, in name order, and whether it is applied; changes nothing. */
export async function migrationStates(
  db: AnyDatabase,
  apps: Migrations[],
): Promise<MigrationState[]> {
  const migrator = await migratorFor(db, apps)
  return (await migrator.getMigrations()).map((m) => ({
    name: m.name,
    applied: m.executedAt !== undefined,
  }))
}
