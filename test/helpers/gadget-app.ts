import { randomBytes } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { type Generated, type Kysely, sql } from 'kysely'
import {
  columnTypes,
  createApp,
  type Database,
  type FieldMap,
  IsAuthenticated,
  type Migrations,
  migrate,
  type ObjectRow,
  type ResourceSchema,
  Router,
  TokenScheme,
  type ViewsetDefinition,
} from 'portcullis'
import { accountsMigrations, accountsUsers, createUser, mintToken } from 'portcullis/accounts'
import { PASSWORD, testDatabase } from './test-app.ts'

/** `gadgets`: one column per field kind of the serializer-depth tests, owned by a user. */
export interface GadgetsTable {
  id: Generated<number>
  owner_id: string
  title: string
  secret: string | null
  price: string | number | null
  released: string | Date | null
  opens: string | null
  homepage: string | null
  extra: unknown
}

declare module 'portcullis' {
  interface Tables {
    gadgets: GadgetsTable
  }
}

const gadgetsTable = {
  async up(db: Kysely<unknown>) {
    const t = columnTypes(db)
    await db.schema
      .createTable('gadgets')
      .addColumn('id', t.serial, t.serialKey)
      .addColumn('owner_id', 'varchar(36)', (c) =>
        c.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('title', 'varchar(40)', (c) => c.notNull())
      .addColumn('secret', 'varchar(40)')
      .addColumn('price', 'numeric(6, 2)')
      .addColumn('released', 'date')
      .addColumn('opens', 'time')
      .addColumn('homepage', 'varchar(200)')
      .addColumn('extra', t.json)
      .execute()
    await db.schema
      .createIndex('gadgets_owner_id_title_uniq')
      .on('gadgets')
      .columns(['owner_id', 'title'])
      .unique()
      .execute()
  },
}

const gadgetMigrations: Migrations = { '20270101_0001_gadgets': gadgetsTable }

/** A user of the gadget app, with a token. */
export interface GadgetUser {
  id: string
  token: string
}

/** A server serving `/gadgets/` with the given schema, each row owned by its creator. */
export interface GadgetApp {
  app: FastifyInstance
  db: Database
  user(username: string): Promise<GadgetUser>
  request(options: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
    url: string
    token?: string
    json?: unknown
    form?: Record<string, string>
  }): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/** `createApp` over a fresh database (SQLite, or PostgreSQL with DATABASE_URL) with `gadgets`. */
export async function gadgetApp<F extends FieldMap>(
  schema: ResourceSchema<F>,
  more: Partial<ViewsetDefinition<F, ObjectRow>> = {},
): Promise<GadgetApp> {
  const { db, drop } = await testDatabase()
  await migrate(db, [accountsMigrations, gadgetMigrations])
  const columns = Object.keys(schema.fields)
  const gadgets: ViewsetDefinition<F, ObjectRow> = {
    basename: 'gadget',
    table: 'gadgets',
    schema,
    authentication: [TokenScheme],
    permissions: [IsAuthenticated],
    query: (d: Database) =>
      d.selectFrom('gadgets').select(columns.map((c) => sql.ref(`gadgets.${c}`).as(c))),
    performCreate: (request, data) => ({ ...data, owner_id: request.user!.id }),
    ...more,
  } as ViewsetDefinition<F, ObjectRow>
  let app: FastifyInstance | undefined
  try {
    app = await createApp({
      database: db,
      secretKey: randomBytes(32).toString('base64url'),
      users: accountsUsers(),
    })
    await app.register(new Router().register('gadgets', gadgets).plugin())
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
    async user(username) {
      const email = `${username}@example.com`
      const user = await createUser(db, { username, email, password: PASSWORD })
      return { id: user.id, token: await mintToken(db, user.id) }
    },
    request({ method, url, token, json, form }) {
      const headers: Record<string, string> = {}
      if (token) headers.authorization = `Token ${token}`
      if (json !== undefined) headers['content-type'] = 'application/json'
      if (form) headers['content-type'] = 'application/x-www-form-urlencoded'
      const payload =
        json !== undefined
          ? JSON.stringify(json)
          : form
            ? new URLSearchParams(form).toString()
            : undefined
      return server.inject({ method, url, headers, payload })
    },
    async close() {
      await server.close()
      await db.destroy()
      await drop()
    },
  }
}
