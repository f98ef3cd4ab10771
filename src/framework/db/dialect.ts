import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely'

/** Whether a Kysely instance (of any tables, or a transaction) talks to PostgreSQL (else SQLite). */
export function isPostgres(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

/** Column types that differ between the two dialects, for migrations. */
export function columnTypes(db: Kysely<unknown>) {
  const pg = isPostgres(db)
  return {
    /** An auto-incrementing integer primary key's type. */
    serial: pg ? ('serial' as const) : ('integer' as const),
    /** A point in time: timestamptz, or ISO-8601 text in SQLite. */
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    boolean: pg ? ('boolean' as const) : ('integer' as const),
    /** A JSON value (f.json): jsonb, or its text in SQLite. */
    json: pg ? ('jsonb' as const) : ('text' as const),
    /** The column options of that key: SQLite needs AUTOINCREMENT so ids are never reused. */
    serialKey: (c: ColumnDefinitionBuilder) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
  }
}
