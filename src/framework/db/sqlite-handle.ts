import type { CachedSqlite } from './cached-sqlite.ts'

const sqliteHandles = new WeakMap<object, CachedSqlite>()

/** Record the SQLite database under a Kysely instance `openDatabase` made. */
export function rememberSqliteHandle(db: object, database: CachedSqlite): void {
  sqliteHandles.set(db, database)
}

/**
 * The SQLite database under a Kysely instance `openDatabase` made (not a transaction's), so a
 * prepared read can skip Kysely's executor; undefined on PostgreSQL.
 */
export function sqliteHandle(db: object): CachedSqlite | undefined {
  return sqliteHandles.get(db)
}
