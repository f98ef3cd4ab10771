import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import type pg from 'pg'
import { loadOptional } from '../optional-package.ts'
import { cachedSqlite } from './cached-sqlite.ts'
import { pgTypes } from './pg-types.ts'
import { preparingPgClient } from './preparing-pg-client.ts'
import { rememberSqliteHandle } from './sqlite-handle.ts'
import type { Tables } from './tables.ts'

/** The server's database, typed by every app's tables. */
export type Database = Kysely<Tables>

/** The SQLite file used when no DATABASE_URL is given. */
export const DEFAULT_SQLITE_PATH = 'data/db.sqlite3'

/** Whether a URL names PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url)
}

/** Options for `openDatabase`: PostgreSQL's search_path lets tests isolate a schema. */
export interface OpenOptions {
  searchPath?: string
  poolSize?: number
}

/**
 * Open `url`: `postgres://…` through a pg pool (the optional "pg" package), `sqlite:PATH`, a bare path or `:memory:` through
 * better-sqlite3 (WAL, foreign keys on); statements are prepared once on both. Timestamps read as ISO 8601
 * UTC text on both.
 */
export function openDatabase(url: string = DEFAULT_SQLITE_PATH, options: OpenOptions = {}) {
  if (isPostgresUrl(url)) {
    // pg is an optional peer: only a PostgreSQL URL loads it.
    const { Pool, Client, types } = loadOptional<typeof pg>('pg')
    const pool = new Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: pgTypes(types),
      Client: preparingPgClient(Client),
      ...(options.searchPath && { options: `-c search_path=${options.searchPath}` }),
    })
    return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) })
  }
  const path = url.replace(/^sqlite:(\/\/)?/, '')
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new BetterSqlite3(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const database = cachedSqlite(sqlite)
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) })
  rememberSqliteHandle(db, database)
  return db
}
