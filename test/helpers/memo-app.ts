import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { ColumnType, Generated, Kysely } from 'kysely'
import {
  type AppSettings,
  columnTypes,
  createApp,
  type Database,
  f,
  type Migrations,
  migrate,
  type ObjectRow,
  Router,
  resourceSchema,
  type ViewsetDefinition,
} from 'portcullis'
import { accountsMigrations, accountsUsers, createUser, mintToken } from 'portcullis/accounts'
import { PASSWORD, testDatabase } from './test-app.ts'

/** `memos`: a title its author wrote; the table of the per-action and exception-handler tests. */
export interface MemosTable {
  id: Generated<number>
  title: string
  owner_id: string
  created_at: ColumnType<string | Date, string, string>
}

declare module 'portcullis' {
  interface Tables {
    memos: MemosTable
  }
}

const memosTable = {
  async up(db: Kysely<unknown>) {
    const t = columnTypes(db)
    await db.schema
      .createTable('memos')
      .addColumn('id', t.serial, t.serialKey)
      .addColumn('title', 'varchar(20)', (c) => c.notNull())
      .addColumn('owner_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
  },
}

const memoMigrations: Migrations = { '20270101_0001_memos': memosTable }

/** A memo as clients see it. */
export const MemoSchema = resourceSchema('memo', {
  id: f.integer({ readOnly: true }),
  title: f.string({ maxLength: 20 }),
  created_at: f.datetime({ readOnly: true, autoNowAdd: true }),
})

type MemoFields = typeof MemoSchema.fields
type MemoRow = { id: number; title: string; owner_id: string; created_at: string | Date }

/** What every memo viewset of the tests shares: the table, schema, query and owner. */
export const memoBasics = {
  basename: 'memo',
  table: 'memos',
  schema: MemoSchema,
  query: (db: Database) => db.selectFrom('memos').select(['id', 'title', 'owner_id', 'created_at']),
  performCreate: (request: { user: { id: string } | null }, data: { title: string }) => ({
    title: data.title,
    owner_id: request.user!.id,
  }),
} satisfies Partial<ViewsetDefinition<MemoFields, MemoRow>>

/** A user of the memo app, with a token and the harness's password. */
export interface MemoUser {
  id: string
  username: string
  token: string
}

/** A server built with `createApp` over a migrated database, serving `/memos/`. */
export interface MemoApp {
  app: FastifyInstance
  db: Database
  user(username: string, extra?: { is_staff?: boolean }): Promise<MemoUser>
  request(
    options: InjectOptions & { url: string; token?: string; basic?: MemoUser; json?: unknown },
  ): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/**
 * `createApp` with the accounts app's users and `settings`, a fresh database (SQLite, or a
 * PostgreSQL schema of its own with DATABASE_URL), and `memos` mounted at `/memos/`.
 */
export async function memoApp(
  memos: ViewsetDefinition<MemoFields, ObjectRow>,
  settings: Partial<AppSettings> = {},
): Promise<MemoApp> {
  const { db, drop } = await testDatabase()
  await migrate(db, [accountsMigrations, memoMigrations])
  let app: FastifyInstance | undefined
  try {
    app = await createApp({
      database: db,
      secretKey: randomBytes(32).toString('base64url'),
      users: accountsUsers(),
      ...settings,
    })
    await app.register(new Router().register('memos', memos).plugin())
    await app.ready()
  } catch (err) {
    await app?.close()
    await db.destroy()
    await drop()
    throw err
  }
  const server = app
  return {
    app: server,
    db,
    async user(username, extra = {}) {
      const email = `${username}@example.com`
      const user = await createUser(db, { username, email, password: PASSWORD, ...extra })
      return { id: user.id, username, token: await mintToken(db, user.id) }
    },
    request({ token, basic, json, headers, ...options }) {
      const all: Record<string, string> = { ...(headers as Record<string, string>) }
      if (token) all.authorization = `Token ${token}`
      if (basic) {
        all.authorization = `Basic ${Buffer.from(`${basic.username}:${PASSWORD}`).toString('base64')}`
      }
      if (json !== undefined) all['content-type'] = 'application/json'
      return server.inject({
        ...options,
        headers: all,
        payload: json === undefined ? options.payload : JSON.stringify(json),
      })
    },
    async close() {
      await server.close()
      await db.destroy()
      await drop()
    },
  }
}
