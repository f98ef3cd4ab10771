import BetterSqlite3 from 'better-sqlite3'
import Fastify, { type FastifyInstance } from 'fastify'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { pgTypes } from '../../src/framework/db/pg-types.ts'
import {
  columnTypes,
  type Database,
  installOpenApi,
  installPipeline,
  type OpenApi,
  type Router,
} from '../../src/framework/index.ts'
import type { TestApp, TestUser } from './test-app.ts'

/** A row of the listing tests' own table: one column of each kind a filter reads. */
export interface NoteRow {
  id: number
  owner_id: string
  title: string
  status: string
  priority: number
  parent_id: number | null
  done: boolean
  ref: string
  created: string
}

/** The listing tests' database: their table beside the server's, typed for their queries. */
export type NotesDb = Kysely<{ listing_notes: NoteRow }>

/** The listing tests' database, as viewsets' `query(db)` get it. */
export const notesDb = (db: Database) => db as unknown as NotesDb

/** Create the table the listing tests list. */
export async function createNotesTable(db: Database): Promise<void> {
  const t = columnTypes(db as Kysely<unknown>)
  await (db as Kysely<unknown>).schema
    .createTable('listing_notes')
    .addColumn('id', t.serial, t.serialKey)
    .addColumn('owner_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('parent_id', 'integer')
    .addColumn('done', t.boolean, (c) => c.notNull())
    .addColumn('ref', 'varchar(36)', (c) => c.notNull())
    .addColumn('created', t.timestamp, (c) => c.notNull())
    .execute()
}

/**
 * The same database as `t.db` on a connection of its own that logs every statement it runs
 * (the server's own skips Kysely's executor on SQLite, so its log would miss them).
 */
export function loggingDatabase(t: TestApp, statements: string[]): Database {
  const log = (event: { query: { sql: string } }) => {
    statements.push(event.query.sql)
  }
  if (t.dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: t.url, max: 2, types: pgTypes(pg.types) })
    return new Kysely({ dialect: new PostgresDialect({ pool }), log })
  }
  const sqlite = new BetterSqlite3(t.url)
  return new Kysely({ dialect: new SqliteDialect({ database: sqlite }), log })
}

/** A server of the test's viewsets over `db`, with the harness's users and an OpenAPI document. */
export async function listingApp(
  t: TestApp,
  db: Database,
  router: Router,
): Promise<{ app: FastifyInstance; openapi: OpenApi }> {
  const app = Fastify()
  app.decorate('db', db)
  app.decorate('users', t.app.users)
  await installPipeline(app)
  const openapi = installOpenApi(app, { title: 'listing', version: '1' })
  router.mount(app)
  await app.ready()
  return { app, openapi }
}

/** The Token header of a harness user. */
export const tokenOf = (user: TestUser) => ({ authorization: `Token ${user.token}` })
